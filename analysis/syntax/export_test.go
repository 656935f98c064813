package syntax

// PurgeSharedEffects forgets the stack comments read before, so that a
// test can compare a first reading with a shared one.
func PurgeSharedEffects() { sharedEffects.Purge() }
