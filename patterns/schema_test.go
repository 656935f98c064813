package patterns

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestSpecSchema: the published JSON Schema names exactly the fields a
// spec and an example have.
func TestSpecSchema(t *testing.T) {
	data, err := os.ReadFile("spec.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Properties map[string]any `json:"properties"`
		Defs       struct {
			Example struct {
				Properties map[string]any `json:"properties"`
			} `json:"example"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	var specFields []string
	st := reflect.TypeOf(Spec{})
	for i := 0; i < st.NumField(); i++ {
		specFields = append(specFields, strings.Split(st.Field(i).Tag.Get("json"), ",")[0])
	}
	for _, tc := range []struct {
		what   string
		schema map[string]any
		fields []string
	}{
		{"spec", schema.Properties, specFields},
		{"example", schema.Defs.Example.Properties, exampleFields},
	} {
		var got []string
		for k := range tc.schema {
			got = append(got, k)
		}
		slices.Sort(got)
		want := slices.Clone(tc.fields)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: schema has %v, the Go type %v", tc.what, got, want)
		}
	}
}
