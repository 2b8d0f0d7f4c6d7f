package mail

import (
	"strings"
	"testing"
)

// TestQuoteMasksPersonalData: a mail quotes a comment as the page shows it,
// personal data masked.
func TestQuoteMasksPersonalData(t *testing.T) {
	q := quote("Mon numéro : 06 12 34 56 78.")
	if strings.Contains(q, "06 12 34 56 78") || !strings.Contains(q, "06 •• •• •• 78") {
		t.Errorf("quote = %q", q)
	}
}
