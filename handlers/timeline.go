package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"doleances/models"
)

// Timeline is a story's way from its publication to the company's first
// reply and to the resolution its author confirmed, in whole days.
type Timeline struct {
	Published   time.Time
	Replied     *time.Time
	ReplyDays   int
	Resolved    *time.Time // marked resolved by its author (or an admin) after publication
	ResolveDays int
	// WrittenResolved: the story was resolved when it was written.
	WrittenResolved bool
	// WaitingDays is how long a story without a reply has waited for one.
	WaitingDays int
}

// wholeDays is the number of whole days from a to b.
func wholeDays(a, b time.Time) int { return int(b.Sub(a) / (24 * time.Hour)) }

// timelineOf is st's timeline at now.
func timelineOf(st *models.Story, now time.Time) Timeline {
	var t Timeline
	if st.PublishedAt == nil {
		return t
	}
	t.Published = *st.PublishedAt
	if st.RepliedAt != nil {
		t.Replied, t.ReplyDays = st.RepliedAt, wholeDays(t.Published, *st.RepliedAt)
	} else {
		t.WaitingDays = max(wholeDays(t.Published, now), 0)
	}
	if st.Resolution == models.ResolutionResolved {
		if st.ResolvedAt != nil && st.ResolvedAt.After(t.Published) {
			t.Resolved, t.ResolveDays = st.ResolvedAt, wholeDays(t.Published, *st.ResolvedAt)
		} else {
			t.WrittenResolved = true
		}
	}
	return t
}

// CompanySide is what a story page shows of the company's side: the
// timeline, the official reply (on the story), and the forms the viewer may use.
type CompanySide struct {
	Timeline Timeline
	// Form is the reply (or follow-up) form shown to the viewer: to the
	// company's representatives, or given back after a refused post; nil: none.
	Form *ReplyForm
	// CanResolve shows the author (and admins) the resolution form.
	CanResolve bool
}

// companySide fills the company's side of sp for the viewer: one query for
// a signed-in viewer, none for the others.
func (r *reading) companySide(c *fiber.Ctx, sp *StoryPage) error {
	st := sp.Story
	if st.CompanyID == nil {
		return nil
	}
	now := r.stamps.now()
	side := &CompanySide{Timeline: timelineOf(st, now), CanResolve: moderates(sp.User, st)}
	if st.RepliedAt == nil {
		// "Waiting N days" must not outlive its day in the page cache.
		cacheUntil(c, st.PublishedAt.Add(time.Duration(side.Timeline.WaitingDays+1)*24*time.Hour))
	}
	if f, ok := c.Locals(replyFormLocal).(*ReplyForm); ok {
		side.Form = f
	} else if sp.User != nil {
		ok, err := r.store.Represents(c.UserContext(), sp.User.ID, *st.CompanyID)
		if err != nil {
			return err
		}
		if ok {
			side.Form = &ReplyForm{FollowUp: st.Reply != nil}
		}
	}
	sp.Company = side
	return nil
}
