package http

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"safedesk"
)

// exportColumns are the message keys of the export's header, in column order.
var exportColumns = []string{"verify.code", "verify.holder", "user.email", "user.employee_no", "user.team", "verify.course",
	"course.version", "verify.issued", "verify.expires", "cert.status", "register.recertify_col", "register.reason",
	"register.revoked_col", "register.revoke_reason"}

// exportValues returns a row's cells in column order; dates are time.Time, or nil when
// unset.
func exportValues(lang string, row registerRow) []any {
	date := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t
	}
	return []any{row.Code, row.Holder, row.Email, row.EmployeeNo, row.Team, row.Course, row.CourseVersion,
		date(row.IssuedAt), date(row.ExpiresAt), tr(lang, "certstatus."+row.Status), date(row.RecertifyBy),
		row.RecertifyReason, date(row.RevokedAt), row.RevokeReason}
}

// handleRegisterExport answers GET /api/v1/certificates/register/{format}: the whole
// filtered register (no paging) as CSV or XLSX, in the reader's language. The export is
// built in memory and audited, with its filter and row count, before a byte is sent, so
// that no register leaves unrecorded.
func (s *Server) handleRegisterExport(w http.ResponseWriter, r *http.Request) error {
	format := r.PathValue("format")
	if format != "csv" && format != "xlsx" {
		return safedesk.Errorf(safedesk.ENOTFOUND, "Export as csv or xlsx.")
	}
	f, err := registerFilter(r.URL.Query(), 0, 0)
	if err != nil {
		return err
	}
	f.Offset = 0
	entries, _, _, err := s.Certificates.FindCertificates(r.Context(), f)
	if err != nil {
		return err
	}
	rows := s.registerRows(r, entries)
	lang := s.lang(r)
	var buf bytes.Buffer
	contentType := "text/csv; charset=utf-8"
	if format == "csv" {
		err = writeRegisterCSV(&buf, lang, rows)
	} else {
		contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		err = writeRegisterXLSX(&buf, lang, rows)
	}
	if err != nil {
		return err
	}
	if err := s.Audit.Record(r.Context(), safedesk.AuditCertExported, "register",
		map[string]any{"format": format, "filter": f, "rows": len(rows), "emails_masked": currentUser(r).Role == safedesk.RoleAuditor}); err != nil {
		return err
	}
	name := fmt.Sprintf("certificates-%s.%s", s.Clock.Now().UTC().Format("2006-01-02"), format)
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
	return nil
}

// writeRegisterCSV writes rows as CSV for Excel: a UTF-8 byte order mark (without it,
// Excel on Chinese Windows reads the file as GBK and garbles every name), CRLF line ends,
// dates as YYYY-MM-DD, and text that would start a formula defused.
func writeRegisterCSV(buf *bytes.Buffer, lang string, rows []registerRow) error {
	buf.WriteString("\uFEFF")
	cw := csv.NewWriter(buf)
	cw.UseCRLF = true
	header := make([]string, len(exportColumns))
	for i, k := range exportColumns {
		header[i] = tr(lang, k)
	}
	cw.Write(header)
	for _, row := range rows {
		vals := exportValues(lang, row)
		rec := make([]string, len(vals))
		for i, v := range vals {
			switch v := v.(type) {
			case nil:
			case time.Time:
				rec[i] = v.UTC().Format("2006-01-02")
			case string:
				rec[i] = defuseFormula(v)
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// defuseFormula keeps a spreadsheet from running a cell as a formula (CSV injection: a
// name such as "=HYPERLINK(…)"): text that starts with a formula character gets a leading
// apostrophe, which spreadsheets show as text and hide.
func defuseFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// writeRegisterXLSX writes rows as one worksheet with excelize's stream writer, so memory
// stays flat however long the register: a bold, frozen header with filters, real dates
// (YYYY-MM-DD) and every text cell stored as text, never as a formula.
func writeRegisterXLSX(buf *bytes.Buffer, lang string, rows []registerRow) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := tr(lang, "register.sheet")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F0F3F7"}}})
	if err != nil {
		return err
	}
	dateFmt := "yyyy-mm-dd"
	dates, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	widths := []float64{18, 16, 26, 12, 14, 30, 9, 12, 12, 12, 14, 28, 12, 28}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(exportColumns))
	for i, k := range exportColumns {
		header[i] = excelize.Cell{StyleID: bold, Value: tr(lang, k)}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for n, row := range rows {
		vals := exportValues(lang, row)
		for i, v := range vals {
			if t, ok := v.(time.Time); ok {
				vals[i] = excelize.Cell{StyleID: dates, Value: t.UTC()}
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, n+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	last, err := excelize.CoordinatesToCellName(len(exportColumns), max(len(rows)+1, 2))
	if err != nil {
		return err
	}
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, StyleName: "TableStyleLight1", ShowRowStripes: boolPtr(true)}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(buf)
	return err
}

func boolPtr(b bool) *bool { return &b }
