;;; fastforth-settings-test.el --- settings and a missing server, through Eglot  -*- lexical-binding: t; -*-

;;; Commentary:

;; Run in batch from editors/editors_test.go, like fastforth-test.el.
;; With FASTFORTH_TEST_MISSING set (and no fastforth on the PATH): Eglot
;; stops with the message of fastforth.el, which says how to install the
;; server.  Otherwise: the README's settings, through
;; `eglot-workspace-configuration', reach the server (effect-mismatch
;; disabled: only the undefined word is reported).

;;; Code:

(require 'cl-lib)

(defconst ff-test-dir (file-name-directory (or load-file-name buffer-file-name)))

(defun ff-say (fmt &rest args)
  "Print FMT with ARGS and a newline to stdout."
  (princ (concat (apply #'format fmt args) "\n")))

(defun ff-check (ok fmt &rest args)
  "Fail the test with FMT and ARGS unless OK."
  (unless ok (signal 'error (list (apply #'format fmt args)))))

(defun ff-readme-block (start)
  "The text of the README's elisp block that begins with START."
  (with-temp-buffer
    (insert-file-contents (expand-file-name "README.md" ff-test-dir))
    (goto-char (point-min))
    (let (found)
      (while (and (not found) (re-search-forward "^```elisp\n" nil t))
        (let ((beg (point)))
          (when (and (re-search-forward "^```$" nil t)
                     (string-prefix-p start (buffer-substring-no-properties beg (match-beginning 0))))
            (setq found (buffer-substring-no-properties beg (match-beginning 0))))))
      found)))

(defun ff-read-all (text)
  "The forms of TEXT."
  (let ((pos 0) forms)
    (condition-case nil
        (while t
          (let ((r (read-from-string text pos)))
            (push (car r) forms)
            (setq pos (cdr r))))
      (end-of-file nil))
    (nreverse forms)))

(defun ff-main ()
  "The test."
  (unless (require 'eglot nil t)
    (require 'package)
    (add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
    (package-initialize)
    (unless (require 'eglot nil t)
      (ff-say "SKIP: eglot is not installed")
      (kill-emacs 77)))
  (if (getenv "FASTFORTH_TEST_MISSING")
      (progn
        (load (expand-file-name "fastforth.el" ff-test-dir) nil t)
        (ff-check (not (executable-find "fastforth")) "fastforth is on the PATH: this test needs it missing")
        (find-file (getenv "FASTFORTH_TEST_FILE"))
        (let* ((contact (cdr (assq 'forth-mode eglot-server-programs)))
               (msg (condition-case err
                        (progn (if (functionp contact) (funcall contact t) contact) nil)
                      (user-error (error-message-string err)))))
          (ff-check msg "no error for a missing server (contact %S)" contact)
          (dolist (want '("go install ./cmd/fastforth" "$(go env GOPATH)/bin" "exec-path"))
            (ff-check (string-match-p (regexp-quote want) msg) "the message %S lacks %S" msg want))
          ;; And through Eglot itself: M-x eglot stops with it.
          (let ((via (condition-case err (progn (call-interactively #'eglot) nil)
                       (error (error-message-string err)))))
            (ff-check (and via (string-match-p "go install \\./cmd/fastforth" via)) "M-x eglot: %S" via))
          (ff-say "ok missing server: %s" msg)))
    ;; The README's use-package recipe, evaluated as written (fastforth.el
    ;; is installed in ~/.emacs.d/lisp, as the README says).
    (if (not (require 'use-package nil t))
        (if (equal (getenv "CI") "true")
            (ff-check nil "use-package is not installed (required when CI=true: apt-get install elpa-use-package)")
          (ff-say "SKIP use-package recipe: use-package is not installed"))
      (let ((recipe (ff-readme-block "(use-package fastforth")))
        (ff-check recipe "no use-package recipe in the README")
        (dolist (form (ff-read-all recipe)) (eval form t))
        (ff-check (featurep 'fastforth) "the recipe did not load fastforth")
        (ff-check (memq 'eglot-ensure forth-mode-hook) "the recipe did not hook eglot-ensure: %S" forth-mode-hook)
        (ff-check (plist-get (default-value 'eglot-workspace-configuration) :fastforth)
                  "the recipe set no :fastforth settings: %S" (default-value 'eglot-workspace-configuration))
        (ff-say "ok use-package recipe: %S" (default-value 'eglot-workspace-configuration))))
    ;; Settings that show: effect-mismatch disabled.
    (setq-default eglot-workspace-configuration
                  '(:fastforth (:diagnostics (:disable ["effect-mismatch"]))))
    (find-file (getenv "FASTFORTH_TEST_FILE"))
    (eglot-ensure)
    (run-hooks 'post-command-hook)
    ;; Eglot sends the settings after initialize (didChangeConfiguration,
    ;; and answers to workspace/configuration): a first publication may
    ;; come before they are in force.  Wait for the set they give, the
    ;; undefined word alone, or fail at the deadline with what was seen.
    (let ((deadline (+ (float-time) 10)))
      (while (and (< (float-time) deadline)
                  (not (and (bound-and-true-p eglot--managed-mode)
                            (let ((ds (flymake-diagnostics)))
                              (and (= (length ds) 1)
                                   (string-match-p "undefined word swp" (flymake-diagnostic-text (car ds))))))))
        (accept-process-output nil 0.05)))
    (let ((texts (mapcar #'flymake-diagnostic-text (flymake-diagnostics))))
      (ff-check (and (= (length texts) 1) (string-match-p "undefined word swp" (car texts)))
                "with effect-mismatch disabled through eglot-workspace-configuration, want only the undefined word: %S" texts)
      (ff-say "ok settings: %S" texts))
    ;; Inlay hints, which the recipe turns on where Eglot has them (1.10
    ;; and later): a definition without a stack comment gets its effect.
    (cond
     ((not (fboundp 'eglot-inlay-hints-mode))
      (ff-say "ok inlay hints: this Eglot has none (the recipe checks for them)"))
     ((not (featurep 'use-package))
      (ff-say "ok inlay hints: not tried without the recipe"))
     (t
      (ff-check (bound-and-true-p eglot-inlay-hints-mode) "the recipe did not turn on eglot-inlay-hints-mode")
      (goto-char (point-max))
      (insert ": twice  dup + ;\n")
      ;; Eglot asks for hints as the text is displayed (jit-lock), after
      ;; jit-lock's idle context timer: batch Emacs neither displays nor
      ;; idles, so do both as an idle Emacs would (and send the edit),
      ;; until the hint is there.
      (let ((deadline (+ (float-time) 10)) found)
        (while (and (not found) (< (float-time) deadline))
          (when (and (boundp 'eglot--change-idle-timer) eglot--change-idle-timer)
            (timer-event-handler eglot--change-idle-timer))
          (jit-lock-context-fontify)
          (jit-lock-fontify-now)
          (accept-process-output nil 0.05)
          (setq found (cl-some (lambda (o)
                                 (let ((s (or (overlay-get o 'before-string) (overlay-get o 'after-string))))
                                   (and (stringp s) (string-match-p "x -- x2" s) (substring-no-properties s))))
                               (overlays-in (point-min) (point-max)))))
        (ff-check found "no inlay hint with twice's effect; overlays: %S; inlay hint messages: %s"
                  (overlays-in (point-min) (point-max))
                  (with-current-buffer (jsonrpc-events-buffer (eglot-current-server))
                    (goto-char (point-min))
                    (let (ms)
                      (while (re-search-forward "^.*\\(inlayHint\\|didChange\\).*$" nil t)
                        (push (match-string 0) ms))
                      (mapconcat #'identity (nreverse ms) "\n"))))
        (ff-say "ok inlay hints: %S" found))))
    (eglot-shutdown (eglot-current-server))))

(condition-case err
    (progn
      (ff-main)
      (ff-say "PASS")
      (kill-emacs 0))
  (error
   (ff-say "FAIL: %s" (error-message-string err))
   (kill-emacs 1)))

;;; fastforth-settings-test.el ends here
