package safedesk

import (
	"errors"
	"fmt"
)

// Error codes. They are the whole vocabulary of failure that crosses a package boundary;
// the http package maps each to one status.
const (
	EINVALID      = "invalid"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	ERATELIMIT    = "too_many_requests"
	EINTERNAL     = "internal"
)

// Error is an error a person may see: Code says what kind, Message is safe to show, and
// Field names the input at fault when there is one.
type Error struct {
	Code    string
	Message string
	Field   string
	// Key and Args name the message in the UI's catalogue, so that it can be shown in the
	// reader's language; Message is the English text used when no translation exists.
	Key  string
	Args []any
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Field)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error about one input field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Localized returns an *Error whose message the UI can translate: key names the message in
// the catalogue and english, formatted with args, is the text everywhere else.
func Localized(code, field, key, english string, args ...any) *Error {
	return &Error{Code: code, Field: field, Key: key, Args: args, Message: fmt.Sprintf(english, args...)}
}

// ErrorCode returns the code of err: the code of an *Error in its chain, or EINTERNAL for
// any other non-nil error.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of an *Error in err's chain, or a generic message that
// reveals nothing about the cause.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
