package safedesk

// A Pack is one version of a course: chapters of lessons, a question bank, exams, drill
// scenarios and surveys, in every supported language. Packs are parsed from text files by
// the content package and stored whole per version.
type Pack struct {
	ID          string
	Version     string
	Title       Text
	Description Text
	Languages   []string
	Chapters    []*Chapter
	Questions   []*Question
	Exams       []*ExamSpec
	Drills      []*DrillScenario
	Surveys     []*Survey
}

// Lesson returns the lesson with the id, or nil.
func (p *Pack) Lesson(id string) *Lesson {
	for _, c := range p.Chapters {
		for _, l := range c.Lessons {
			if l.ID == id {
				return l
			}
		}
	}
	return nil
}

// LessonCount returns the number of lessons in the pack.
func (p *Pack) LessonCount() int {
	n := 0
	for _, c := range p.Chapters {
		n += len(c.Lessons)
	}
	return n
}

// A Chapter groups lessons in the order a learner reads them.
type Chapter struct {
	ID      string
	Order   int
	Title   Text
	Summary Text
	Lessons []*Lesson
}

// A Lesson is one reading unit, in every language.
type Lesson struct {
	ID        string
	ChapterID string
	Order     int
	Minutes   int
	Related   []string
	// Texts holds the language-specific parts keyed by language tag.
	Texts map[string]*LessonText
}

// In returns the lesson's text in lang, falling back to the default language.
func (l *Lesson) In(lang string) *LessonText {
	if t, ok := l.Texts[lang]; ok {
		return t
	}
	return l.Texts[DefaultLang]
}

// LessonText is the part of a lesson written in one language.
type LessonText struct {
	Title      string
	Objectives []string
	Summary    string
	Body       string // Markdown, rendered with raw HTML disabled
}

// Question types.
const (
	QuestionSingle    = "single"
	QuestionMultiple  = "multiple"
	QuestionTrueFalse = "truefalse"
	QuestionShort     = "short"
	QuestionOrdering  = "ordering"
	QuestionMatching  = "matching"
)

// Difficulties, easiest first.
var Difficulties = []string{"easy", "medium", "hard"}

// A Question is one item of the bank with its answer key.
type Question struct {
	ID          string
	Type        string
	LessonID    string
	ChapterID   string
	Difficulty  string
	Tags        []string
	Chat        []ChatLine
	Prompt      Text
	Options     []Option
	Pairs       []Option // left-hand items of a matching question
	Explanation Text
	// Answer is the key: an option id (single, truefalse), option ids (multiple: any order;
	// ordering: the right order), or pair id → option id (matching).
	AnswerIDs []string
	AnswerMap map[string]string
	// Accept lists accepted short answers per language.
	Accept map[string][]string
}

// An Option is one choice of a question, or one left-hand item of a matching question.
type Option struct {
	ID   string
	Text Text
}

// A ChatLine is one message of a quoted chat in a scenario question.
type ChatLine struct {
	From string // customer or agent
	Text Text
}

// Exam kinds.
const (
	ExamCertification = "certification"
	ExamPretest       = "pretest"
	ExamPosttest      = "posttest"
	ExamPractice      = "practice"
)

// An ExamSpec is an exam as a pack defines it: the blueprint and the rules.
type ExamSpec struct {
	ID               string
	Kind             string
	Title            Text
	PassMark         int
	TimeLimitMinutes int
	Attempts         int
	CooldownMinutes  int
	ShuffleOptions   bool
	Review           string // score | answers | answers_after_close
	MultipleChoice   string // all_or_nothing | partial
	ValidityMonths   int
	RequiredDrills   int
	Blueprint        []BlueprintRule
}

// QuestionCount is the number of questions a paper drawn by the blueprint holds.
func (e *ExamSpec) QuestionCount() int {
	n := 0
	for _, r := range e.Blueprint {
		n += r.Count
	}
	return n
}

// A BlueprintRule draws Count questions of a chapter, optionally filtered by difficulty
// and by tags (a question matches when it has any of them).
type BlueprintRule struct {
	ChapterID  string
	Count      int
	Difficulty []string
	Tags       []string
}

// A DrillScenario is a branching simulated chat with its scoring rubric.
type DrillScenario struct {
	ID           string
	Title        Text
	Competencies []string
	Persona      Persona
	PassScore    int
	Intents      map[string]map[string][]string // intent → lang → phrases
	Start        string
	States       map[string]*DrillState
	Rubric       Rubric
	ModelAnswer  Text
}

// Persona is who the trainee talks to in a drill.
type Persona struct {
	Name        Text
	Description Text
}

// A DrillState is one step of the customer's script.
type DrillState struct {
	Say  []Text
	Next []Transition
	End  bool
}

// A Transition moves a drill to another state when the reply shows an intent (or always,
// when When is empty).
type Transition struct {
	When string
	Goto string
}

// Rubric scores drill replies.
type Rubric struct {
	Critical []RubricRule
	Major    []RubricRule
	Minor    []RubricRule
	Good     []RubricRule
}

// A RubricRule fires on risk findings, on an intent shown (When) or on an intent never shown
// in the run (Missing).
type RubricRule struct {
	Rule    string
	Risk    []string
	When    string
	Missing string
	Points  int
	Message Text
}

// Survey item types.
const (
	SurveyLikert = "likert"
	SurveyNPS    = "nps"
	SurveyText   = "text"
	SurveyChoice = "choice"
)

// A Survey is a questionnaire, such as the course-reaction survey (Kirkpatrick level 1).
type Survey struct {
	ID    string
	Title Text
	Items []SurveyItem
}

// A SurveyItem is one question of a survey.
type SurveyItem struct {
	ID      string
	Type    string
	Text    Text
	Options []Option
}
