package http

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"safedesk"
	"safedesk/content"
	"safedesk/drill"
)

// scenario finds a drill scenario in the live packs.
func (s *Server) scenario(ctx context.Context, id string) (*content.LivePack, *safedesk.DrillScenario, error) {
	live, err := s.Catalog.Live(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, p := range live {
		for _, d := range p.Pack.Drills {
			if d.ID == id {
				return p, d, nil
			}
		}
	}
	return nil, nil, safedesk.Errorf(safedesk.ENOTFOUND, "No drill scenario %q.", id)
}

// runScenario returns the scenario of a run at the version it started with.
func (s *Server) runScenario(ctx context.Context, r *safedesk.DrillRun) (*safedesk.DrillScenario, error) {
	p, err := s.Catalog.Version(ctx, r.VersionID)
	if err != nil {
		return nil, err
	}
	for _, d := range p.Drills {
		if d.ID == r.ScenarioID {
			return d, nil
		}
	}
	return nil, safedesk.Errorf(safedesk.ENOTFOUND, "The scenario of this run is gone.")
}

// visibleRun returns a run its trainee or staff may see.
func (s *Server) visibleRun(r *http.Request) (*safedesk.DrillRun, error) {
	run, err := s.Drills.FindDrillRun(r.Context(), r.PathValue("runID"))
	if err != nil {
		return nil, err
	}
	u := currentUser(r)
	if run.UserID != u.ID && u.Role == safedesk.RoleTrainee {
		return nil, safedesk.Errorf(safedesk.ENOTFOUND, "Drill run not found.")
	}
	return run, nil
}

func decodeRun(r *safedesk.DrillRun) (*drill.Run, error) {
	var run drill.Run
	if err := json.Unmarshal(r.State, &run); err != nil {
		return nil, err
	}
	return &run, nil
}

// store copies the engine's run into the record.
func storeRun(rec *safedesk.DrillRun, run *drill.Run) error {
	b, err := json.Marshal(run)
	if err != nil {
		return err
	}
	rec.State, rec.Done, rec.Passed, rec.Score, rec.Uncertain = b, run.Done, run.Passed, run.Score, len(run.Uncertain())
	return nil
}

type apiDrill struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Competencies []string `json:"competencies"`
	Persona      string   `json:"persona"`
	CourseID     string   `json:"course_id"`
}

func (s *Server) drillList(ctx context.Context, lang string) ([]apiDrill, error) {
	live, err := s.Catalog.Live(ctx)
	if err != nil {
		return nil, err
	}
	out := []apiDrill{}
	for _, p := range live {
		for _, d := range p.Pack.Drills {
			out = append(out, apiDrill{ID: d.ID, Title: d.Title.In(lang), Competencies: d.Competencies,
				Persona: d.Persona.Name.In(lang), CourseID: p.Pack.ID})
		}
	}
	return out, nil
}

func (s *Server) handleAPIDrills(w http.ResponseWriter, r *http.Request) error {
	list, err := s.drillList(r.Context(), s.lang(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

// startDrill begins a run in the caller's language.
func (s *Server) startDrill(r *http.Request) (*safedesk.DrillRun, []drill.Message, error) {
	p, sc, err := s.scenario(r.Context(), r.PathValue("scenarioID"))
	if err != nil {
		return nil, nil, err
	}
	run, msgs := drill.Start(sc, s.lang(r))
	rec := &safedesk.DrillRun{UserID: currentUser(r).ID, CourseID: p.Pack.ID, ScenarioID: sc.ID, VersionID: p.Version.ID, Lang: run.Lang}
	if err := storeRun(rec, run); err != nil {
		return nil, nil, err
	}
	if err := s.Drills.CreateDrillRun(r.Context(), rec); err != nil {
		return nil, nil, err
	}
	return rec, msgs, nil
}

func (s *Server) handleAPIDrillStart(w http.ResponseWriter, r *http.Request) error {
	rec, msgs, err := s.startDrill(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": rec.ID, "scenario": rec.ScenarioID, "messages": msgs, "done": rec.Done})
	return nil
}

// reply applies one trainee reply to their run, one reply at a time per run.
func (s *Server) reply(r *http.Request, text string) (*safedesk.DrillRun, []drill.Message, error) {
	u := currentUser(r)
	var msgs []drill.Message
	rec, err := s.Drills.UpdateDrillRun(r.Context(), r.PathValue("runID"), func(rec *safedesk.DrillRun) error {
		if rec.UserID != u.ID {
			return safedesk.Errorf(safedesk.ENOTFOUND, "Drill run not found.")
		}
		if rec.Done {
			return safedesk.Localized(safedesk.ECONFLICT, "", "drill_done", "This drill is over.")
		}
		sc, err := s.runScenario(r.Context(), rec)
		if err != nil {
			return err
		}
		run, err := decodeRun(rec)
		if err != nil {
			return err
		}
		if msgs, err = s.DrillEngine.Reply(run, sc, text); err != nil {
			return err
		}
		return storeRun(rec, run)
	})
	if err == nil && rec.Done && rec.Passed && s.Certifier != nil {
		// A passed drill may be the last requirement of a certificate.
		if ierr := s.issueAfterDrills(r.Context(), u, rec.CourseID); ierr != nil {
			s.Logger.Error("issuing certificates after a drill", "err", ierr)
		}
	}
	return rec, msgs, err
}

func (s *Server) handleAPIDrillReply(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Text string `json:"text"`
	}
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	rec, msgs, err := s.reply(r, req.Text)
	if err != nil {
		return err
	}
	if msgs == nil {
		msgs = []drill.Message{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"messages": msgs, "done": rec.Done})
	return nil
}

// drillResult is GET /api/v1/drill-runs/{runID}: while the run is on, only its progress;
// the feedback, which names what the rubric looks for, once it is done.
func (s *Server) drillResult(rec *safedesk.DrillRun) (map[string]any, error) {
	run, err := decodeRun(rec)
	if err != nil {
		return nil, err
	}
	res := run.Result()
	out := map[string]any{"id": rec.ID, "scenario": rec.ScenarioID, "done": res.Done, "transcript": run.Transcript,
		"score": res.Score, "pass_score": res.PassScore, "passed": res.Passed, "critical": res.Critical, "feedback": []drill.Feedback{}}
	if res.Done {
		out["feedback"], out["final"], out["model_answer"], out["end"] = res.Feedback, res.Final, res.ModelAnswer, res.End
	}
	return out, nil
}

func (s *Server) handleAPIDrillRun(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.visibleRun(r)
	if err != nil {
		return err
	}
	out, err := s.drillResult(rec)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) handleAPIDrillReviews(w http.ResponseWriter, r *http.Request) error {
	runs, err := s.Drills.FindDrillRuns(r.Context(), safedesk.DrillRunFilter{NeedsReview: true})
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for _, rec := range runs {
		run, err := decodeRun(rec)
		if err != nil {
			return err
		}
		out = append(out, map[string]any{"run": rec, "uncertain": run.Uncertain(), "transcript": run.Transcript, "feedback": run.Feedback})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// verdict records a trainer's decision on one reply and recomputes the score, audited.
func (s *Server) verdict(r *http.Request, reply int, v drill.Verdict) (*safedesk.DrillRun, error) {
	rec, err := s.Drills.UpdateDrillRun(r.Context(), r.PathValue("runID"), func(rec *safedesk.DrillRun) error {
		run, err := decodeRun(rec)
		if err != nil {
			return err
		}
		if err := run.Override(reply, v); err != nil {
			return err
		}
		return storeRun(rec, run)
	})
	if err != nil {
		return nil, err
	}
	return rec, s.Audit.Record(r.Context(), safedesk.AuditDrillOverride, rec.ID, map[string]any{"reply": reply, "verdict": v, "score": rec.Score, "passed": rec.Passed})
}

func (s *Server) handleAPIDrillVerdict(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Reply   int    `json:"reply"`
		Verdict string `json:"verdict"`
	}
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	rec, err := s.verdict(r, req.Reply, drill.Verdict(req.Verdict))
	if err != nil {
		return err
	}
	out, err := s.drillResult(rec)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// Pages.

func (s *Server) handleDrillsPage(w http.ResponseWriter, r *http.Request) error {
	list, err := s.drillList(r.Context(), s.lang(r))
	if err != nil {
		return err
	}
	runs, err := s.Drills.FindDrillRuns(r.Context(), safedesk.DrillRunFilter{UserID: currentUser(r).ID, Limit: 500})
	if err != nil {
		return err
	}
	best, passed := map[string]int{}, map[string]bool{}
	for _, rec := range runs {
		if rec.Done && rec.Score > best[rec.ScenarioID] {
			best[rec.ScenarioID] = rec.Score
		}
		passed[rec.ScenarioID] = passed[rec.ScenarioID] || rec.Passed
	}
	return s.render(w, r, "drills.html", map[string]any{"Drills": list, "Best": best, "Passed": passed, "Runs": runs})
}

func (s *Server) handleDrillStartForm(w http.ResponseWriter, r *http.Request) error {
	rec, _, err := s.startDrill(r)
	if err != nil {
		return err
	}
	return redirect(w, r, "/drill-runs/"+rec.ID, "")
}

func (s *Server) handleDrillRunPage(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.visibleRun(r)
	if err != nil {
		return err
	}
	run, err := decodeRun(rec)
	if err != nil {
		return err
	}
	sc, err := s.runScenario(r.Context(), rec)
	if err != nil {
		return err
	}
	return s.render(w, r, "drill_run.html", map[string]any{"Rec": rec, "Run": run, "Result": run.Result(), "Scenario": sc,
		"Mine": rec.UserID == currentUser(r).ID})
}

func (s *Server) handleDrillReplyForm(w http.ResponseWriter, r *http.Request) error {
	if _, _, err := s.reply(r, r.PostFormValue("text")); err != nil {
		code := safedesk.ErrorCode(err)
		if code != safedesk.EINVALID && code != safedesk.ECONFLICT {
			return err
		}
	}
	return redirect(w, r, "/drill-runs/"+r.PathValue("runID")+"#end", "")
}

func (s *Server) handleDrillReviewsPage(w http.ResponseWriter, r *http.Request) error {
	runs, err := s.Drills.FindDrillRuns(r.Context(), safedesk.DrillRunFilter{NeedsReview: true})
	if err != nil {
		return err
	}
	type item struct {
		Rec       *safedesk.DrillRun
		Run       *drill.Run
		Uncertain []int
	}
	var items []item
	for _, rec := range runs {
		run, err := decodeRun(rec)
		if err != nil {
			return err
		}
		items = append(items, item{Rec: rec, Run: run, Uncertain: run.Uncertain()})
	}
	return s.render(w, r, "drill_reviews.html", items)
}

func (s *Server) handleDrillVerdictForm(w http.ResponseWriter, r *http.Request) error {
	reply, err := strconv.Atoi(r.PostFormValue("reply"))
	if err != nil {
		return safedesk.FieldError("reply", "Which reply?")
	}
	if _, err := s.verdict(r, reply, drill.Verdict(r.PostFormValue("verdict"))); err != nil {
		return err
	}
	return redirect(w, r, "/admin/drill-reviews", "saved")
}
