;;; fastforth.el --- Fast Forth language server through Eglot  -*- lexical-binding: t; -*-

;; URL: https://github.com/fastforth/fastforth
;; Package-Requires: ((emacs "26.1") (eglot "1.9"))

;;; Commentary:

;; Registers `fastforth lsp' with Eglot for Forth buffers, reads *.fs,
;; *.fth, *.4th, *.forth, *.fr and *.fb files in `forth-mode', and, when no
;; `forth-mode' is installed (gforth's gforth.el or the forth-mode
;; package), defines a minimal one so that Eglot has a mode to attach to.
;;
;; Install: put this file on the `load-path' and add to your init file
;;
;;   (require 'fastforth)
;;   (add-hook 'forth-mode-hook #'eglot-ensure)   ; start the server on visit
;;
;; The `fastforth' binary must be on `exec-path': from a clone of the
;; repository, `go install ./cmd/fastforth' puts it in
;; $(go env GOPATH)/bin (~/go/bin by default).  When it is missing, Eglot
;; stops with a message that says so.  To pass analysis flags, set
;; `fastforth-command', e.g.
;;   (setq fastforth-command '("fastforth" "lsp" "--dialect" "standard"))
;; Settings (the "fastforth" section) go in `eglot-workspace-configuration'.

;;; Code:

(require 'eglot)

(defconst fastforth--word-regexp "\\(?:^\\|[ \t\n]\\)"
  "What precedes a Forth word: it starts at the line start or after a blank.")

(defvar fastforth--forth-syntax-table
  (let ((st (make-syntax-table)))
    ;; A Forth word is any run of non-blank characters: `2dup', `c@' and
    ;; `+!' are one word each for symbol-at-point, which Eglot uses for
    ;; completion bounds. `\' and `(' start comments only as whole words,
    ;; which a syntax table cannot say: `fastforth--syntax-propertize'
    ;; marks those.
    (let ((c 33))
      (while (< c 127)
        (unless (or (and (>= c ?0) (<= c ?9))
                    (and (>= c ?a) (<= c ?z))
                    (and (>= c ?A) (<= c ?Z)))
          (modify-syntax-entry c "_" st))
        (setq c (1+ c))))
    (modify-syntax-entry ?\n ">" st)
    st)
  "Syntax table of the fallback `forth-mode'.")

(defun fastforth--close-paren-comment (limit)
  "Mark the `)' that ends a paren comment started before point.
Search no further than LIMIT; return the position after it, or nil."
  (when (search-forward ")" limit t)
    (put-text-property (1- (point)) (point) 'syntax-table (string-to-syntax "!"))
    (point)))

(defun fastforth--syntax-propertize (start end)
  "Mark Forth comments between START and END.
`\\' as a word comments out the rest of its line; `(' as a word
comments out up to the next `)', across lines."
  (goto-char start)
  ;; A paren comment opened before START: its `)' may lie in this region.
  (let ((ppss (syntax-ppss start)))
    (when (and (nth 4 ppss) (eq (char-after (nth 8 ppss)) ?\())
      (fastforth--close-paren-comment end)))
  (while (re-search-forward
          (concat fastforth--word-regexp "\\([\\\\(]\\)\\(?:[ \t\n]\\|\\'\\)") end t)
    (let ((mark (match-beginning 1)))
      (if (eq (char-after mark) ?\\)
          (progn
            (put-text-property mark (1+ mark) 'syntax-table (string-to-syntax "<"))
            (forward-line 1))
        (put-text-property mark (1+ mark) 'syntax-table (string-to-syntax "!"))
        (goto-char (1+ mark))
        ;; An unclosed comment runs to the end of the buffer.
        (unless (fastforth--close-paren-comment (point-max))
          (goto-char end))))))

(unless (fboundp 'forth-mode)
  (define-derived-mode forth-mode prog-mode "Forth"
    "Minimal major mode for Forth, defined by fastforth.el because no
other `forth-mode' was installed: comments and word boundaries only;
the language server (`eglot') provides the rest."
    :syntax-table fastforth--forth-syntax-table
    (setq-local comment-start "\\ ")
    (setq-local comment-end "")
    (setq-local comment-start-skip "\\(?:\\\\\\|(\\)[ \t]+")
    (setq-local syntax-propertize-function #'fastforth--syntax-propertize)))

(dolist (re '("\\.fs\\'" "\\.fth\\'" "\\.4th\\'" "\\.forth\\'" "\\.fr\\'" "\\.fb\\'"))
  (add-to-list 'auto-mode-alist (cons re 'forth-mode)))

(defgroup fastforth nil
  "The Fast Forth language server through Eglot."
  :group 'languages
  :prefix "fastforth-")

(defcustom fastforth-command '("fastforth" "lsp")
  "The command that runs the Fast Forth language server, with its flags."
  :type '(repeat string))

(defconst fastforth-install-hint
  "Install it from a clone of the repository with `go install ./cmd/fastforth': the binary goes to $(go env GOPATH)/bin (~/go/bin by default), which must be on `exec-path' (and PATH); or set `fastforth-command'."
  "How to get the server, for the message that says it is missing.")

(defun fastforth--contact (&optional _interactive)
  "The server command for Eglot, or an error saying how to install it."
  (if (executable-find (car fastforth-command))
      fastforth-command
    (user-error "fastforth: the language server `%s' was not found.  %s"
                (car fastforth-command) fastforth-install-hint)))

(add-to-list 'eglot-server-programs '(forth-mode . fastforth--contact))

(provide 'fastforth)
;;; fastforth.el ends here
