package pii

import (
	"strings"
	"testing"
)

// TestMask is the table of what is masked, in real-looking numbers, and
// of what must be left alone (the false positives a naive pattern takes).
func TestMask(t *testing.T) {
	cases := []struct{ name, in, want string }{
		// Phone numbers, French and international.
		{"mobile with spaces", "Appelez-moi au 06 12 34 56 78.", "Appelez-moi au 06 •• •• •• 78."},
		{"mobile with dots", "tel 06.12.34.56.78", "tel 06.••.••.••.78"},
		{"mobile run together", "0612345678 merci", "06••••••78 merci"},
		{"landline with dashes", "01-45-67-89-10", "01-••-••-••-10"},
		{"+33", "+33 6 12 34 56 78", "+33 6 •• •• •• 78"},
		{"+33 (0)", "+33 (0)6 12 34 56 78", "+33 (0)6 •• •• •• 78"},
		{"0033", "0033 6 12 34 56 78", "0033 6 •• •• •• 78"},
		{"E.164 UK", "ring +44 20 7946 0958 now", "ring +44 •• •••• ••58 now"},
		{"E.164 US compact", "+14155552671", "+14•••••••71"},
		// Email addresses.
		{"email", "écrivez à jean.dupont@example.org svp", "écrivez à j•••@example.org svp"},
		{"email with plus", "<marie+sav@mail.example.fr>", "<m•••@mail.example.fr>"},
		// IBANs, checked.
		{"IBAN FR", "IBAN FR76 3000 6000 0112 3456 7890 189 merci", "IBAN FR76 •••• •••• •••• •••• •••• •89 merci"},
		{"IBAN DE compact", "DE89370400440532013000", "DE89••••••••••••••••00"},
		{"IBAN then a word", "GB82 WEST 1234 5698 7654 32 SUITE", "GB82 •••• •••• •••• •••• 32 SUITE"},
		// Card numbers, Luhn.
		{"card spaced", "carte 4970 1012 3456 7893 expirée", "carte •••• •••• •••• 7893 expirée"},
		{"card dashes", "5555-5555-5555-4444", "••••-••••-••••-4444"},
		// French social security numbers, key checked (Corsica too).
		{"NIR spaced", "sécu 1 85 05 78 006 084 91", "sécu 1 •• •• •• ••• ••• 91"},
		{"NIR compact", "185057800608491", "1••••••••••••91"},
		{"NIR Corsica", "2 90 12 2A 123 456 44", "2 •• •• •• ••• ••• 44"},
		// Customer and contract numbers after their word.
		{"contrat n°", "mon contrat n° 12345678 a été résilié", "mon contrat n° ••••••78 a été résilié"},
		{"dossier colon", "Dossier : AB-2023-004512", "Dossier : ••-••••-••••12"},
		{"customer number", "customer number 99812345", "customer number ••••••45"},
		{"account hash", "account #7781234901", "account #••••••••01"},
		{"référence", "référence 2023/55512", "référence ••••/•••12"},
		{"numéro", "numéro client 550012345", "numéro client •••••••45"},
		{"client alone", "client 004512345", "client •••••••45"},

		// False positives: left as they are.
		{"date slashes", "le 12/03/2024 à 14:30", "le 12/03/2024 à 14:30"},
		{"date dashes", "2024-03-12", "2024-03-12"},
		{"date dots", "12.03.2024", "12.03.2024"},
		{"price", "1 299,00 € TTC", "1 299,00 € TTC"},
		{"big price", "12 345 678,90 €", "12 345 678,90 €"},
		{"year", "depuis 2019", "depuis 2019"},
		{"client since a year", "client depuis 2015", "client depuis 2015"},
		{"dossier year", "dossier 2024 toujours ouvert", "dossier 2024 toujours ouvert"},
		{"postcode", "75011 Paris", "75011 Paris"},
		{"time", "ouvert de 09:00 à 18:30", "ouvert de 09:00 à 18:30"},
		{"order number", "commande 4012345678", "commande 4012345678"},
		{"short score", "+3 points, +15 %", "+3 points, +15 %"},
		{"IBAN bad checksum", "FR76 3000 6000 0112 3456 7890 180", "FR76 3000 6000 0112 3456 7890 180"},
		{"card bad Luhn", "4970 1012 3456 7890", "4970 1012 3456 7890"},
		{"NIR bad key", "1 85 05 78 006 084 92", "1 85 05 78 006 084 92"},
		{"number inside a word", "ref0612345678x", "ref0612345678x"},
		{"SIRET-like", "SIRET 552 100 554 00025", "SIRET 552 100 554 00025"},
		{"client unhappy", "client mécontent", "client mécontent"},
		{"no at-domain", "@orange_fr on X", "@orange_fr on X"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Mask(tc.in, nil); got != tc.want {
				t.Errorf("Mask(%q)\n got %q\nwant %q (found %+v)", tc.in, got, tc.want, Find(tc.in))
			}
		})
	}
}

func TestFindKinds(t *testing.T) {
	s := "06 12 34 56 78, a@b.fr, FR76 3000 6000 0112 3456 7890 189, 4111 1111 1111 1111, 185057800608491, contrat 12345678"
	want := []Kind{Phone, Email, IBAN, Card, NIR, Reference}
	got := Find(s)
	if len(got) != len(want) {
		t.Fatalf("found %+v", got)
	}
	for i, m := range got {
		if m.Kind != want[i] || s[m.Start:m.End] != m.Text {
			t.Errorf("match %d = %+v, want kind %s", i, m, want[i])
		}
	}
}

// TestShowing: the writer may show a false positive, never an IBAN or a
// card number, and only the exact texts chosen.
func TestShowing(t *testing.T) {
	s := "commande n° 40123456, 06 12 34 56 78, FR76 3000 6000 0112 3456 7890 189, 4111 1111 1111 1111"
	got := Mask(s, Showing([]string{"40123456", "FR76 3000 6000 0112 3456 7890 189", "4111 1111 1111 1111"}))
	if !strings.Contains(got, "n° 40123456") {
		t.Errorf("the order number chosen is masked: %q", got)
	}
	if !strings.Contains(got, "06 •• •• •• 78") || strings.Contains(got, "6000") || strings.Contains(got, "4111 1111") {
		t.Errorf("something not chosen, or not showable, is shown: %q", got)
	}
	if Mask(s, Showing(nil)) != Mask(s, nil) {
		t.Error("an empty choice should mask everything")
	}
}

func TestNoMatchReturnsInput(t *testing.T) {
	s := "Rien à cacher ici, juste 3 jours d'attente."
	if got := Mask(s, nil); got != s {
		t.Errorf("got %q", got)
	}
}

func BenchmarkMaskStory(b *testing.B) {
	text := strings.Repeat("Le conseiller du service client m'a rappelé le 12/03/2024 au sujet de la facture de 1 299,00 €. ", 200)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Mask(text, nil)
	}
}
