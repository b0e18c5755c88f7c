package exam

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./exam -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run with -update if the change is intended\n--- got ---\n%s", path, got)
	}
}

// checkSVG parses the chart as XML and checks the parts that accessibility needs.
func checkSVG(t *testing.T, b []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var stack []string
	titles, rootTitle := 0, false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 {
				if e.Name.Local != "svg" || e.Name.Space != "http://www.w3.org/2000/svg" {
					t.Fatalf("root element %v", e.Name)
				}
				attrs := map[string]string{}
				for _, a := range e.Attr {
					attrs[a.Name.Local] = a.Value
				}
				if attrs["role"] != "img" || attrs["aria-labelledby"] == "" || attrs["viewBox"] == "" {
					t.Errorf("root attributes %v", attrs)
				}
			}
			if e.Name.Local == "title" {
				titles++
				if len(stack) == 1 {
					rootTitle = true
				}
			}
			if e.Name.Local == "script" || e.Name.Local == "foreignObject" {
				t.Errorf("element %s in a static chart", e.Name.Local)
			}
			stack = append(stack, e.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if !rootTitle {
		t.Error("no <title> under the root")
	}
	if titles < 2 {
		t.Errorf("%d titles; every bar or row needs one", titles)
	}
	if bytes.Contains(b, []byte("NaN")) || bytes.Contains(b, []byte("Inf")) {
		t.Error("a number did not format")
	}
}

func TestHistogram(t *testing.T) {
	tests := []struct {
		name     string
		scores   []float64
		passMark float64
		text     HistogramText
	}{
		{"histogram.svg", []float64{12, 35.5, 48, 55, 61, 66.67, 70, 72, 75, 79.99, 80, 81, 83, 85, 88, 90, 92, 95, 100, 100}, 80, HistogramText{}},
		{"histogram-zh.svg", []float64{60, 65, 90}, 60, HistogramText{
			ID: "exam-<1>", Title: "成绩分布 <预览> & “测试”", XAxis: "得分（%）", YAxis: "人次", PassMark: "及格线", Attempts: "%d 人次"}},
		{"histogram-empty.svg", nil, 75, HistogramText{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Histogram(&b, tt.scores, tt.passMark, tt.text); err != nil {
				t.Fatal(err)
			}
			checkSVG(t, b.Bytes())
			golden(t, tt.name, b.Bytes())
			var again bytes.Buffer
			if err := Histogram(&again, tt.scores, tt.passMark, tt.text); err != nil || !bytes.Equal(b.Bytes(), again.Bytes()) {
				t.Error("two renderings differ")
			}
		})
	}
}

func TestHistogramEscapes(t *testing.T) {
	var b bytes.Buffer
	if err := Histogram(&b, []float64{50}, 50, HistogramText{Title: `</title><script>alert("x")</script>`, XAxis: "a & b", YAxis: "\x00"}); err != nil {
		t.Fatal(err)
	}
	checkSVG(t, b.Bytes())
	for _, bad := range []string{"<script", "a & b", "\x00"} {
		if strings.Contains(b.String(), bad) {
			t.Errorf("output holds %q unescaped", bad)
		}
	}
}

func TestHistogramBins(t *testing.T) {
	got := HistogramBins([]float64{0, 9.99, 10, 55, 89.9, 90, 100, 120, -5})
	want := [10]int{3, 1, 0, 0, 0, 1, 0, 0, 1, 3}
	if got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestNiceScale(t *testing.T) {
	tests := []struct{ top, step, max int }{
		{0, 1, 1}, {1, 1, 1}, {5, 1, 5}, {6, 2, 6}, {9, 2, 10}, {11, 5, 15}, {25, 5, 25}, {26, 10, 30}, {480, 100, 500}, {10001, 5000, 15000},
	}
	for _, tt := range tests {
		if step, max := niceScale(tt.top); step != tt.step || max != tt.max {
			t.Errorf("niceScale(%d) = %d, %d, want %d, %d", tt.top, step, max, tt.step, tt.max)
		}
	}
}

func TestItemChart(t *testing.T) {
	st := Analyze(attemptsOf(
		[]float64{1, 1, 1, 1},
		[]float64{1, 1, 0, 1},
		[]float64{1, 0, 0, 1},
		[]float64{0, 0, 1, 1},
	), nil)
	items := append(st.Items, ItemStatistics{
		QuestionID: `q-<script>&"'-a-very-long-question-identifier`, Attempts: 1, Facility: 0.1, Flags: []string{FlagTooHard},
	})
	var b bytes.Buffer
	if err := ItemChart(&b, items, ItemChartText{}); err != nil {
		t.Fatal(err)
	}
	checkSVG(t, b.Bytes())
	if strings.Contains(b.String(), "<script") {
		t.Error("an id went out unescaped")
	}
	golden(t, "items.svg", b.Bytes())

	b.Reset()
	if err := ItemChart(&b, nil, ItemChartText{Title: "题目统计", Question: "题目", Facility: "难度系数", Discrimination: "区分度", NotAvailable: "无", Flags: "标记", Summary: "共 {questions} 题，{flagged} 题需改进。"}); err != nil {
		t.Fatal(err)
	}
	checkSVG(t, b.Bytes())
	golden(t, "items-empty-zh.svg", b.Bytes())
}

func TestShorten(t *testing.T) {
	if got := shorten("短", 3); got != "短" {
		t.Error(got)
	}
	if got := shorten("一二三四五", 3); got != "一二…" {
		t.Error(got)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestChartsReportWriteErrors(t *testing.T) {
	if err := Histogram(failWriter{}, nil, 50, HistogramText{}); err == nil {
		t.Error("Histogram hid a write error")
	}
	if err := ItemChart(failWriter{}, nil, ItemChartText{}); err == nil {
		t.Error("ItemChart hid a write error")
	}
}
