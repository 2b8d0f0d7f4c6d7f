package app

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportsPointOneWay keeps the layout of DESIGN.md: main -> app ->
// handlers -> models, with views and static as leaves; the features nested
// in app (oauth, demo, mail) are used by app and use nothing of app's.
func TestImportsPointOneWay(t *testing.T) {
	forbidden := map[string][]string{
		"doleances/models":    {"doleances/app", "doleances/handlers", "doleances/views", "doleances/static"},
		"doleances/handlers":  {"doleances/app", "doleances/views", "doleances/static"},
		"doleances/views":     {"doleances/app", "doleances/handlers", "doleances/models", "doleances/static"},
		"doleances/static":    {"doleances/app", "doleances/handlers", "doleances/models", "doleances/views"},
		"doleances/app/oauth": {"doleances/app", "doleances/app/demo", "doleances/views", "doleances/static"},
		"doleances/app/demo":  {"doleances/app", "doleances/app/oauth", "doleances/handlers", "doleances/views", "doleances/static"},
		"doleances/app/mail":  {"doleances/app", "doleances/app/oauth", "doleances/app/demo", "doleances/handlers", "doleances/views", "doleances/static"},
		"doleances/app/mail/mailtest": {"doleances/app", "doleances/app/mail", "doleances/handlers", "doleances/models",
			"doleances/views", "doleances/static"},
		"doleances/models/wxr": {"doleances/app", "doleances/handlers", "doleances/views", "doleances/static"},
		// The catalogues are a leaf: handlers and the mails of app/mail use them.
		"doleances/handlers/i18n": {"doleances/app", "doleances/handlers", "doleances/models", "doleances/views", "doleances/static"},
	}
	for pkg, banned := range forbidden {
		out, err := exec.Command("go", "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		deps := strings.Fields(string(out))
		for _, d := range deps {
			for _, b := range banned {
				if d == b {
					t.Errorf("%s imports %s", pkg, b)
				}
			}
		}
	}
}
