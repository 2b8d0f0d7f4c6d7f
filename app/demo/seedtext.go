package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"doleances/models"
)

// The word banks of the seed command: enough variety that pages, search and
// feeds look like a real site's, deterministic for a given seed.

var seedCategories = []string{"Telecom", "Banks and insurance", "Housing", "Administration", "Transport",
	"Shops and delivery", "Energy", "Health"}

// SeedCompanies are companies as people type them: each line is one company
// under several spellings, which FindOrCreateCompany must bring together.
var SeedCompanies = [][]string{
	{"Orange", "orange", "Orange S.A.", " ORANGE "}, {"SFR", "SFR SA"}, {"Free", "free"},
	{"Bouygues Telecom", "bouygues telecom"}, {"BNP Paribas", "BNP Paribas SA"},
	{"Société Générale", "Societe Generale"}, {"La Poste", "la poste"}, {"IKEA", "Ikea"},
	{"EDF", "E.D.F."}, {"Engie", "ENGIE SA"}, {"SNCF", "S.N.C.F."}, {"RATP"}, {"Vélib'", "Velib"},
	{"Préfecture de Police", "prefecture de police"}, {"CAF"}, {"Darty"}, {"Leroy Merlin"},
	{"Crédit Agricole", "Credit Agricole SA"}, {"Boulanger"}, {"Ameli"}, {"Foncia", "FONCIA"},
	{"Nexity"}, {"TotalEnergies"}, {"Air France", "air france"}, {"Chronopost"}, {"Decathlon"},
}

var seedCities = []string{"Paris", "Lyon", "Marseille", "Toulouse", "Bordeaux", "Lille", "Nantes", "Strasbourg",
	"Montpellier", "Nice", "Rennes", "Grenoble", "Bruxelles", "Genève", "Montréal", ""}

var seedTags = []string{"résiliation", "refund", "hotline", "fibre", "delivery", "deposit", "titre de séjour",
	"overbilling", "contract", "broken promise", "box internet", "moving house", "late fees", "chatbot",
	"registered letter", "ombudsman", "warranty", "smart meter", "train delay", "lost parcel", "bank card",
	"overdraft", "landlord", "energy bill", "appointment", "CAF", "mutuelle", "roaming", "SIM card", "kitchen"}

var seedThings = []string{"fibre box", "mobile plan", "sofa", "kitchen", "bank card", "electricity meter",
	"residence permit", "train ticket", "parcel", "deposit", "health card", "washing machine", "bike pass"}

var seedTitles = []string{
	"%[1]s charged me %[2]d € for a %[3]s I never ordered",
	"How I finally got my %[3]s back from %[1]s",
	"%[2]d hours on hold with %[1]s",
	"Résilier chez %[1]s : %[2]d lettres recommandées",
	"The %[3]s that %[1]s could not find",
	"%[1]s and the %[3]s: a story in %[2]d episodes",
	"Why I left %[1]s after %[2]d years",
	"My %[3]s, %[1]s and the ombudsman",
}

var seedSentences = []string{
	"I called the hotline on a Monday morning and was told someone would call me back within 48 hours.",
	"Nobody called back, of course, so I wrote a registered letter with acknowledgement of receipt.",
	"The agent was polite but could only read from a script that did not cover my case.",
	"Three weeks later the %[1]s still had not been sorted out, and the bills kept coming.",
	"J'ai rappelé le service client, qui m'a demandé pour la quatrième fois mon numéro de dossier.",
	"The chatbot kept offering me the same three articles from the help pages.",
	"In the shop they said it was a problem for the website; on the website they said to go to the shop.",
	"I kept a log of every call with the date, the time and the name of the person I spoke to.",
	"A neighbour told me she had had exactly the same problem the year before.",
	"Finally, a manager looked at the file and fixed it in ten minutes.",
	"The refund arrived, minus fees nobody could explain.",
	"Le conseiller m'a assuré que tout était réglé, puis la facture suivante est arrivée.",
	"I had sent every document twice, by post and by email, scanned in colour as requested.",
	"What strikes me most is that each person I spoke to seemed to want to help.",
	"The contract said one thing, the sales person had said another, and the invoice a third.",
	"After the ombudsman wrote to them, things moved surprisingly fast.",
}

var seedQuotes = []string{
	"Madame, the system does not allow me to do that.",
	"Votre demande a bien été prise en compte.",
	"It will be solved within five working days.",
	"I cannot transfer you, but you can call back another number.",
}

var seedLinks = []string{"https://www.mediateur-telecom.fr/", "https://www.service-public.fr/", "https://www.economie.gouv.fr/mediation-conso",
	"https://www.ameli.fr/", "https://www.anil.org/"}

var seedFirstNames = []string{"Margot", "Paul", "Inès", "Karim", "Sofia", "Lucas", "Chloé", "Hugo", "Aïcha", "Tom",
	"Élodie", "Mateo", "Yuki", "Ravi", "Anna", "Jonas", "Fatou", "Léa", "Noah", "Camille"}

var seedLastNames = []string{"Martin", "Lefèvre", "Haddad", "Nguyen", "Dubois", "Moreau", "Schmidt", "Rossi",
	"Diallo", "Garcia", "Bernard", "Petit", "Kowalski", "Tanaka", "Fontaine", "Roux"}

var seedComments = []string{
	"Same thing happened to me last spring. The registered letter is what finally worked.",
	"Thanks for writing this up, it helps to know I am not alone.",
	"Have you tried the **ombudsman**? It took two months but they were very effective.",
	"Pareil chez moi, trois mois d'attente et aucune réponse.",
	"You can find the official procedure on [service-public.fr](https://www.service-public.fr/).",
	"I work in a call centre: the agents really cannot do more than the script allows. Ask for a written answer.",
	"Did they ever refund the fees?",
	"This is *exactly* why I switched providers.",
	"Keep every email. When it goes to court, the paper trail is what counts.",
	"Bon courage ! Tenez-nous au courant.",
	"My tip: call right when they open, the wait is much shorter.",
	"Ten years later and nothing has changed, it seems.",
}

// seedText draws the site's texts from r.
type seedText struct{ r *rand.Rand }

func (g seedText) pick(list []string) string { return list[g.r.IntN(len(list))] }

// sentence is a sentence of a story about thing. Most sentences do not name
// it: given to Sprintf, they came out with "%!(EXTRA string=...)" appended.
func (g seedText) sentence(thing string) string {
	return strings.ReplaceAll(g.pick(seedSentences), "%[1]s", thing)
}

func (g seedText) title(company string) string {
	return fmt.Sprintf(g.pick(seedTitles), strings.TrimSpace(company), 2+g.r.IntN(40), g.pick(seedThings))
}

// body is a story in Markdown: paragraphs, headings, lists, a quote and a
// link, from a few hundred characters to several thousand.
func (g seedText) body(company string) string {
	var b strings.Builder
	thing := g.pick(seedThings)
	para := func() {
		n := 2 + g.r.IntN(5)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(g.sentence(thing))
		}
		b.WriteString("\n\n")
	}
	para()
	sections := g.r.IntN(5)
	for s := 0; s < sections; s++ {
		switch g.r.IntN(4) {
		case 0:
			fmt.Fprintf(&b, "## What happened with %s\n\n", strings.TrimSpace(company))
			for i := 0; i < 2+g.r.IntN(4); i++ {
				fmt.Fprintf(&b, "- Day %d: %s\n", 1+i*g.r.IntN(9), g.sentence(thing))
			}
			b.WriteString("\n")
		case 1:
			fmt.Fprintf(&b, "> %s\n\n", g.pick(seedQuotes))
		case 2:
			fmt.Fprintf(&b, "### What I would do next time\n\n1. Write everything down.\n2. Send a **registered letter** early.\n3. Read [the official advice](%s).\n\n", g.pick(seedLinks))
		default:
			para()
		}
		para()
	}
	return b.String()
}

// comment is a reader's answer: one or more lines of the comment bank.
func (g seedText) comment() string {
	s := g.pick(seedComments)
	if g.r.IntN(4) == 0 {
		s += "\n\n" + g.pick(seedComments)
	}
	return s
}

func (g seedText) name() string { return g.pick(seedFirstNames) + " " + g.pick(seedLastNames) }

// tags are zero to four tags.
func (g seedText) tags() []string {
	var t []string
	for i := g.r.IntN(5); i > 0; i-- {
		t = append(t, g.pick(seedTags))
	}
	return t
}

// seedWorld is what stories refer to: ids of users, categories, companies.
type seedWorld struct {
	users, authors []uint
	categories     []uint
	companies      []uint   // one per spelling, so spellings spread evenly
	spellings      []string // the spelling for companies[i]
	now            time.Time
	span           time.Duration // stories are published over this period before now
}

// story draws story number i (of n) with its comments (count of them),
// likes and me-toos.
func (w *seedWorld) story(g seedText, i, n, count int) models.ImportStory {
	co := g.r.IntN(len(w.companies))
	published := w.now.Add(-w.span + time.Duration(float64(w.span)*float64(i)/float64(max(n, 1)))).Add(-time.Hour).Truncate(time.Second)
	in := models.StoryInput{
		Title: g.title(w.spellings[co]), Body: g.body(w.spellings[co]), AuthorID: w.authors[g.r.IntN(len(w.authors))],
		Tags: g.tags(), City: g.pick(seedCities), Resolution: []string{models.ResolutionOpen, models.ResolutionResolved, models.ResolutionAbandoned}[g.r.IntN(3)],
		Status: models.StatusPublished, PublishedAt: &published,
	}
	if g.r.IntN(50) == 0 {
		in.Status = models.StatusDraft
	}
	if g.r.IntN(8) != 0 {
		id := w.companies[co]
		in.CompanyID = &id
	}
	in.CategoryIDs = append(in.CategoryIDs, w.categories[g.r.IntN(len(w.categories))])
	if g.r.IntN(4) == 0 {
		if c := w.categories[g.r.IntN(len(w.categories))]; c != in.CategoryIDs[0] {
			in.CategoryIDs = append(in.CategoryIDs, c)
		}
	}
	is := models.ImportStory{Story: in}
	if in.Status == models.StatusPublished {
		is.Comments = w.comments(g, published, count)
		is.Likers, is.MeToos = w.some(g, 12), w.some(g, 4)
	}
	return is
}

// comments draws count comments after published, a third of them replies.
func (w *seedWorld) comments(g seedText, published time.Time, count int) []models.ImportComment {
	cs := make([]models.ImportComment, count)
	room := w.now.Sub(published)
	for j := range cs {
		at := published.Add(time.Duration(float64(room) * float64(j+1) / float64(count+1))).Truncate(time.Second)
		c := models.ImportComment{Parent: -1, Body: g.comment(), Status: models.CommentApproved, CreatedAt: at}
		if j > 0 && g.r.IntN(3) == 0 {
			// Replies answer shown comments only, as on the site.
			if p := g.r.IntN(j); cs[p].Status == models.CommentApproved {
				c.Parent = p
			}
		}
		if g.r.IntN(5) < 3 {
			id := w.users[g.r.IntN(len(w.users))]
			c.UserID = &id
		} else {
			name := g.name()
			c.AuthorName = name
			c.AuthorEmail = strings.ToLower(models.Slugify(name)) + "@example.org"
			c.IP = fmt.Sprintf("192.0.2.%d", 1+g.r.IntN(254))
			switch g.r.IntN(20) {
			case 0:
				c.Status = models.CommentPending
			case 1:
				c.Status = models.CommentSpam
			}
		}
		cs[j] = c
	}
	return cs
}

// some is up to most distinct users, few more often than many.
func (w *seedWorld) some(g seedText, most int) []uint {
	n := min(g.r.IntN(most+1)*g.r.IntN(most+1)/most, len(w.users))
	seen := map[uint]bool{}
	var out []uint
	for len(out) < n {
		u := w.users[g.r.IntN(len(w.users))]
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out
}
