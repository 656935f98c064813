;;; fastforth-test.el --- drive `fastforth lsp' through Eglot  -*- lexical-binding: t; -*-

;;; Commentary:

;; Run in batch from editors/editors_test.go:
;;
;;   FASTFORTH_TEST_FILE=/proj/src/sample.fs FASTFORTH_TEST_ROOT=/proj \
;;     emacs --batch -Q -l editors/emacs/fastforth-test.el
;;
;; The file is a copy of editors/testdata/sample.fs. Each step prints a
;; line to stdout; the first failure prints FAIL and exits 1, success
;; exits 0 (77 with a SKIP line when Eglot is not installed). Every wait
;; is a loop on a condition with a deadline.

;;; Code:

(require 'cl-lib)

(defconst ff-test-wait 10 "Seconds to wait for any one server response.")

(defconst ff-test-dir (file-name-directory (or load-file-name buffer-file-name)))

(defvar ff-test-changes nil "The contentChanges of every didChange sent.")

(defun ff-test-say (fmt &rest args)
  "Print FMT with ARGS and a newline to stdout."
  (princ (concat (apply #'format fmt args) "\n")))

(defun ff-test-check (ok fmt &rest args)
  "Fail the test with FMT and ARGS unless OK."
  (unless ok (signal 'error (list (apply #'format fmt args)))))

(defun ff-test-wait-until (what pred)
  "Wait for PRED to hold, reading the server's output meanwhile.
Edits waiting to be sent are sent as an idle Emacs would send them.
Fail naming WHAT after `ff-test-wait' seconds."
  (let ((deadline (+ (float-time) ff-test-wait)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (ff-test-flush-changes)
      (accept-process-output nil 0.05))
    (ff-test-check (funcall pred) "timed out waiting for %s" what)))

(defun ff-test-pos (line word)
  "Return the buffer position of WORD's first occurrence on LINE (1-based)."
  (save-excursion
    (goto-char (point-min))
    (forward-line (1- line))
    (ff-test-check (search-forward word (line-end-position) t)
                   "fixture: %S not on line %d" word line)
    (match-beginning 0)))

(defun ff-test-diagnostics ()
  "The buffer's Flymake diagnostics as (LINE COLUMN TEXT) sorted by position."
  (sort (mapcar (lambda (d)
                  (let ((beg (flymake-diagnostic-beg d)))
                    (list (line-number-at-pos beg)
                          (save-excursion (goto-char beg) (current-column))
                          (flymake-diagnostic-text d))))
                (flymake-diagnostics))
        (lambda (a b) (or (< (car a) (car b))
                          (and (= (car a) (car b)) (< (cadr a) (cadr b)))))))

(defun ff-test-flush-changes ()
  "Send pending edits now, as the idle timer would in an interactive Emacs.
Batch Emacs is never idle, so Eglot's didChange timer would not fire.
\(Eglot 1.16 and later, with track-changes, set that timer from a
0-second timer after the edit: `ff-test-wait-until' calls this again
once timers have run.)"
  (when (and (boundp 'eglot--change-idle-timer) eglot--change-idle-timer)
    (timer-event-handler eglot--change-idle-timer)))

(defun ff-test-has-diagnostic (line word text)
  "Whether a diagnostic starts at WORD on LINE and its text contains TEXT."
  (let ((col (save-excursion (goto-char (ff-test-pos line word)) (current-column))))
    (cl-some (lambda (d) (and (= (nth 0 d) line) (= (nth 1 d) col)
                              (string-match-p (regexp-quote text) (nth 2 d))))
             (ff-test-diagnostics))))

(defun ff-test-main ()
  "The test."
  (let ((file (getenv "FASTFORTH_TEST_FILE"))
        (root (getenv "FASTFORTH_TEST_ROOT")))
    (ff-test-check (and file root) "set FASTFORTH_TEST_FILE and FASTFORTH_TEST_ROOT")
    ;; Emacs 29 has Eglot built in; Debian's elpa-eglot for Emacs 28 is a
    ;; system package, which -Q leaves inactive.
    (unless (require 'eglot nil t)
      (require 'package)
      (add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
      (package-initialize)
      (unless (require 'eglot nil t)
        ;; Not a failure of the server: the runner skips (or fails in CI).
        (ff-test-say "SKIP: eglot is not installed")
        (kill-emacs 77)))
    (load (expand-file-name "fastforth.el" ff-test-dir) nil t)
    (ff-test-say "emacs %s, eglot from %s" emacs-version (locate-library "eglot"))

    (find-file file)
    (ff-test-check (eq major-mode 'forth-mode) "major mode %s, want forth-mode" major-mode)
    ;; The fallback mode's comment syntax: \ and ( ) as words only.
    (let ((cases `((,(ff-test-pos 1 "sample.fs") t "\\ comment")
                   (,(+ 2 (ff-test-pos 2 "( n -- n*n )")) t "( ) comment")
                   (,(ff-test-pos 2 "dup") nil "dup after ( )")
                   (,(ff-test-pos 4 "swp") nil "swp"))))
      (dolist (c cases)
        (ff-test-check (eq (and (nth 4 (syntax-ppss (nth 0 c))) t) (nth 1 c))
                       "comment syntax: %s: in comment %s, want %s"
                       (nth 2 c) (nth 4 (syntax-ppss (nth 0 c))) (nth 1 c))))
    (ff-test-say "ok forth-mode")

    ;; eglot-ensure starts the server after the current command, in the
    ;; command loop's post-command-hook, which batch Emacs must run itself.
    (eglot-ensure)
    (run-hooks 'post-command-hook)
    (ff-test-wait-until "eglot to manage the buffer" (lambda () eglot--managed-mode))
    (let* ((server (eglot-current-server))
           (proot (directory-file-name (expand-file-name (project-root (eglot--project server))))))
      (ff-test-check (equal (file-truename proot) (file-truename root)) "project root %s, want %s" proot root)
      (ff-test-say "ok eglot: %s, root %s" (jsonrpc-name server) proot))

    ;; Diagnostics, through Flymake.
    (ff-test-wait-until "two diagnostics" (lambda () (>= (length (flymake-diagnostics)) 2)))
    (ff-test-check (= (length (flymake-diagnostics)) 2) "want 2 diagnostics: %S" (ff-test-diagnostics))
    (ff-test-check (ff-test-has-diagnostic 4 "swp" "fastforth [undefined-word]: undefined word swp")
                   "no undefined word swp at 4: %S" (ff-test-diagnostics))
    (ff-test-check (ff-test-has-diagnostic 5 "( a b -- c )" "declared ( a b -- c ) but the body does ( a b -- a x1 )")
                   "no effect mismatch at 5: %S" (ff-test-diagnostics))
    (dolist (d (flymake-diagnostics))
      (ff-test-check (eq (flymake-diagnostic-type d) 'eglot-error) "type %s" (flymake-diagnostic-type d)))
    (ff-test-say "ok diagnostics: %S" (ff-test-diagnostics))

    ;; Hover, rendered by Eglot: a user word and a builtin.
    (dolist (c '((3 "square" "( n -- n*n )") (2 "dup" "( x -- x x )")))
      (goto-char (ff-test-pos (nth 0 c) (nth 1 c)))
      (let* ((reply (jsonrpc-request (eglot--current-server-or-lose) :textDocument/hover
                                     (eglot--TextDocumentPositionParams)))
             (text (and reply (eglot--hover-info (plist-get reply :contents) (plist-get reply :range)))))
        (ff-test-check (and text (string-match-p (regexp-quote (nth 2 c)) text))
                       "hover on %s: %S" (nth 1 c) text)))
    (ff-test-say "ok hover")

    ;; Completion after the "s" of "swp", through completion-at-point.
    (goto-char (1+ (ff-test-pos 4 "swp")))
    (let* ((capf (eglot-completion-at-point))
           (all (and capf (all-completions "s" (nth 2 capf)))))
      (ff-test-check capf "no completion at point")
      (ff-test-check (= (nth 0 capf) (ff-test-pos 4 "swp")) "completion starts at %s" (nth 0 capf))
      (ff-test-check (and (member "square" all) (member "swap" all))
                     "completion after \"s\": want square and swap in %S" all)
      (ff-test-say "ok completion: %d items" (length all)))

    ;; Definition of square, through xref.
    (goto-char (ff-test-pos 3 "square"))
    (let* ((defs (xref-backend-definitions 'eglot (xref-backend-identifier-at-point 'eglot)))
           (loc (and defs (xref-item-location (car defs)))))
      (ff-test-check loc "no definition of square")
      (ff-test-check (and (equal (file-truename (xref-file-location-file loc)) (file-truename file))
                          (= (xref-location-line loc) 2))
                     "definition of square at %s:%s" (xref-file-location-file loc) (xref-location-line loc))
      (ff-test-say "ok definition"))

    ;; Record the text changes Eglot sends.
    (advice-add 'jsonrpc-notify :before
                (lambda (_conn method params)
                  (when (eq method :textDocument/didChange)
                    (setq ff-test-changes (append ff-test-changes
                                                  (append (plist-get params :contentChanges) nil))))))

    ;; Fix the typo: the undefined word goes, the mismatch stays.
    (goto-char (ff-test-pos 4 "swp"))
    (delete-char 3)
    (insert "swap")
    (ff-test-flush-changes)
    (ff-test-wait-until "the undefined word to go"
                        (lambda () (and (= (length (flymake-diagnostics)) 1)
                                        (ff-test-has-diagnostic 5 "( a b -- c )" "effect-mismatch"))))
    ;; Eglot sent the edit as ranges, not the whole text.
    (ff-test-check ff-test-changes "no didChange sent")
    (dolist (c ff-test-changes)
      (ff-test-check (plist-get c :range) "didChange was not incremental: %S" c))
    (ff-test-say "ok edit fixes error: %d incremental change(s)" (length ff-test-changes))

    ;; A new line with a new mistake.
    (goto-char (point-max))
    (insert ": more ( -- )  zork ;\n")
    (ff-test-flush-changes)
    (ff-test-wait-until "the new undefined word"
                        (lambda () (ff-test-has-diagnostic 6 "zork" "undefined word zork")))
    (ff-test-check (= (length (flymake-diagnostics)) 2) "want 2 diagnostics: %S" (ff-test-diagnostics))
    (ff-test-say "ok edit adds error")

    ;; Shutdown: eglot-shutdown fails if the shutdown request is not
    ;; answered. (Its exit status is not the server's: jsonrpc.el deletes
    ;; the process right after sending exit.)
    (let* ((server (eglot-current-server))
           (proc (jsonrpc--process server)))
      (eglot-shutdown server)
      (ff-test-wait-until "the server to exit" (lambda () (not (process-live-p proc))))
      (ff-test-say "ok shutdown"))))

(condition-case err
    (progn
      (ff-test-main)
      (ff-test-say "PASS")
      (kill-emacs 0))
  (error
   (ff-test-say "FAIL: %s" (error-message-string err))
   (let ((server (ignore-errors (eglot-current-server))))
     (when server
       (with-current-buffer (jsonrpc-events-buffer server)
         (ff-test-say "--- eglot events (last 3000 chars) ---\n%s"
                      (buffer-substring-no-properties (max (point-min) (- (point-max) 3000)) (point-max))))))
   (kill-emacs 1)))

;;; fastforth-test.el ends here
