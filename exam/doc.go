// Package exam holds the pure logic of SafeDesk's assessments: drawing a paper from a
// question bank by an exam's blueprint, decoding and grading responses for every question
// type, scoring an attempt, item and test statistics by Moodle's definitions, the Hake
// learning gain, and server-side SVG charts of the results.
//
// Everything here is deterministic given its inputs: randomness comes in as a
// *math/rand/v2.Rand and time as arguments, so the same inputs always give the same paper,
// grade, statistics and bytes of SVG. The package imports nothing of SafeDesk but the root
// package and no third-party code but golang.org/x/text (Unicode normalisation and case
// folding of short answers).
//
// Errors that reach a person are *safedesk.Error values with code safedesk.EINVALID and a
// message that names what is wrong.
package exam
