package models

import (
	"context"
	"fmt"
)

// exportBatch is how many stories an export reads at a time.
const exportBatch = 200

// ExportedStory is a story with what an export writes beside it.
type ExportedStory struct {
	Story
	Comments []Comment // oldest first, every status; deleted ones left out
}

// ExportUsers returns the users who wrote a story or a comment, by id.
func (s *Store) ExportUsers(ctx context.Context) ([]User, error) {
	var us []User
	err := s.r.WithContext(ctx).
		Where("id IN (SELECT author_id FROM stories) OR id IN (SELECT user_id FROM comments WHERE user_id IS NOT NULL)").
		Order("id").Find(&us).Error
	if err != nil {
		return nil, fmt.Errorf("export users: %w", err)
	}
	return us, nil
}

// ExportTags returns the tags that stories have, by id.
func (s *Store) ExportTags(ctx context.Context) ([]Tag, error) {
	var ts []Tag
	err := s.r.WithContext(ctx).Where("id IN (SELECT tag_id FROM story_tags)").Order("id").Find(&ts).Error
	if err != nil {
		return nil, fmt.Errorf("export tags: %w", err)
	}
	return ts, nil
}

// EachExportedStory calls fn with every published story and draft (stories
// waiting for review are drafts too), oldest first, with their categories,
// tags and comments, reading exportBatch stories at a time so that memory
// stays bounded on a large site.
func (s *Store) EachExportedStory(ctx context.Context, fn func(*ExportedStory) error) error {
	var after uint
	for {
		var batch []Story
		err := s.r.WithContext(ctx).Preload("Categories").Preload("Tags").
			Where("id > ?", after).Order("id").Limit(exportBatch).Find(&batch).Error
		if err != nil {
			return fmt.Errorf("export stories after %d: %w", after, err)
		}
		if len(batch) == 0 {
			return nil
		}
		ids := make([]uint, len(batch))
		for i, st := range batch {
			ids[i] = st.ID
		}
		var cs []Comment
		err = s.r.WithContext(ctx).Where("story_id IN ? AND NOT deleted", ids).Order("story_id, id").Find(&cs).Error
		if err != nil {
			return fmt.Errorf("export comments: %w", err)
		}
		byStory := map[uint][]Comment{}
		for _, c := range cs {
			byStory[c.StoryID] = append(byStory[c.StoryID], c)
		}
		for i := range batch {
			if err := fn(&ExportedStory{Story: batch[i], Comments: byStory[batch[i].ID]}); err != nil {
				return err
			}
		}
		after = batch[len(batch)-1].ID
	}
}
