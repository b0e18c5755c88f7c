package content

import "safedesk"

// Stats counts what a pack holds; `safedesk content stats` prints it as JSON.
type Stats struct {
	ID        string         `json:"id"`
	Version   string         `json:"version"`
	Chapters  int            `json:"chapters"`
	Lessons   map[string]int `json:"lessons"`
	Questions int            `json:"questions"`
	ByType    map[string]int `json:"questions_by_type"`
	ByChapter map[string]int `json:"questions_by_chapter"`
	Scenarios int            `json:"scenarios"`
	Exams     int            `json:"exams"`
	Surveys   int            `json:"surveys"`
}

// Count returns the statistics of a pack.
func Count(p *safedesk.Pack) Stats {
	s := Stats{
		ID: p.ID, Version: p.Version, Chapters: len(p.Chapters),
		Lessons: map[string]int{}, ByType: map[string]int{}, ByChapter: map[string]int{},
		Questions: len(p.Questions), Scenarios: len(p.Drills), Exams: len(p.Exams), Surveys: len(p.Surveys),
	}
	for _, ch := range p.Chapters {
		for _, l := range ch.Lessons {
			for lang := range l.Texts {
				s.Lessons[lang]++
			}
		}
	}
	for _, q := range p.Questions {
		s.ByType[q.Type]++
		s.ByChapter[q.ChapterID]++
	}
	return s
}
