package risk

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"
)

//go:embed data/*.txt data/tone.bin data/fraud.bin
var dataFS embed.FS

// Config is everything the engine knows that is data rather than code. Start from
// [DefaultConfig] (or [LoadConfig]) and change what you need.
type Config struct {
	// OfficialDomains are registrable domains (and official short-link domains such as
	// tb.cn) whose links are never reported. Lowercase ASCII; punycode for IDNs.
	OfficialDomains []string
	// Shorteners are third-party URL-shortener domains, reported as url.shortener.
	Shorteners []string
	// Brands are words protected against look-alike domains, in addition to the first
	// labels of OfficialDomains.
	Brands []string
	// Cues and Emotions are the lexicons in the format of data/cues.txt and
	// data/emotion.txt: "[class]" sections of phrases.
	Cues     string
	Emotions string
	// Tone is the tone model's weights in the format of data/tone.bin. Empty turns the
	// model off, so that the lexicon alone reads anger.
	Tone []byte
	// Fraud is the fraud model's weights in the format of data/fraud.bin. Empty turns
	// the model off, so that the cue rules alone read fraud.
	Fraud []byte
	// Now gives the current time; birth dates after it are not valid ID numbers.
	// Nil means time.Now. It is read once, by New.
	Now func() time.Time
}

// Names of the data files, both in the embedded defaults and in a configuration
// directory given to LoadConfig.
const (
	FileOfficialDomains = "official_domains.txt"
	FileShorteners      = "shorteners.txt"
	FileBrands          = "brands.txt"
	FileCues            = "cues.txt"
	FileEmotions        = "emotion.txt"
	FileTone            = "tone.bin"
	FileFraud           = "fraud.bin"
)

// DefaultConfig returns the configuration built into the binary.
func DefaultConfig() Config {
	sub, err := fs.Sub(dataFS, "data")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	cfg, err := readConfig(sub, true)
	if err != nil {
		panic("risk: embedded data: " + err.Error())
	}
	return cfg
}

// LoadConfig returns the default configuration with every data file present in fsys
// (for example os.DirFS of a configuration directory) replacing its built-in
// counterpart. Files that are absent keep their defaults; a file that cannot be read is
// an error. An empty tone.bin or fraud.bin turns that model off.
func LoadConfig(fsys fs.FS) (Config, error) {
	if _, err := fs.Stat(fsys, "."); err != nil {
		return Config{}, fmt.Errorf("risk config: %w", err)
	}
	cfg := DefaultConfig()
	over, err := readConfig(fsys, false)
	if err != nil {
		return Config{}, err
	}
	if over.OfficialDomains != nil {
		cfg.OfficialDomains = over.OfficialDomains
	}
	if over.Shorteners != nil {
		cfg.Shorteners = over.Shorteners
	}
	if over.Brands != nil {
		cfg.Brands = over.Brands
	}
	if over.Cues != "" {
		cfg.Cues = over.Cues
	}
	if over.Emotions != "" {
		cfg.Emotions = over.Emotions
	}
	if over.Tone != nil {
		cfg.Tone = over.Tone
	}
	if over.Fraud != nil {
		cfg.Fraud = over.Fraud
	}
	return cfg, nil
}

// readConfig reads the data files in fsys; with all set, every file must exist.
func readConfig(fsys fs.FS, all bool) (Config, error) {
	var cfg Config
	read := func(name string) (string, bool, error) {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			if !all && errors.Is(err, fs.ErrNotExist) {
				return "", false, nil
			}
			return "", false, fmt.Errorf("risk config: %w", err)
		}
		return string(b), true, nil
	}
	lists := []struct {
		name string
		dst  *[]string
	}{
		{FileOfficialDomains, &cfg.OfficialDomains},
		{FileShorteners, &cfg.Shorteners},
		{FileBrands, &cfg.Brands},
	}
	for _, l := range lists {
		s, ok, err := read(l.name)
		if err != nil {
			return Config{}, err
		}
		if ok {
			*l.dst = parseList(s)
		}
	}
	var err error
	if cfg.Cues, _, err = read(FileCues); err != nil {
		return Config{}, err
	}
	if cfg.Emotions, _, err = read(FileEmotions); err != nil {
		return Config{}, err
	}
	tone, ok, err := read(FileTone)
	if err != nil {
		return Config{}, err
	}
	if ok {
		cfg.Tone = []byte(tone)
	}
	fraud, ok, err := read(FileFraud)
	if err != nil {
		return Config{}, err
	}
	if ok {
		cfg.Fraud = []byte(fraud)
	}
	return cfg, nil
}

// parseList returns the non-empty, non-comment lines of s, trimmed and lowercased.
// The result is non-nil even when empty, so an empty file empties the list.
func parseList(s string) []string {
	out := []string{}
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.ToLower(strings.TrimSpace(line))
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}
