// Package drill plays drill scenarios: simulated chats in which a trainee answers a
// scripted customer (a scammer, a pretexter, an angry VIP) and every reply is scored the
// moment it is sent.
//
// The engine is a deterministic state machine over a [safedesk.DrillScenario]. It does no
// I/O and reads no clock; everything a run needs to resume is in [Run], which a server
// stores as JSON between replies. [Start] opens a run; [Engine.Reply] reads one reply,
// scores it and returns the customer's next messages; [Run.Result] is the debrief;
// [Run.Override] records a trainer's verdict and rescores.
//
// # Reading a reply
//
// Each reply goes through the risk engine as the agent's words (personal data, look-alike
// and shortened links, off-platform, payment, code and password cues), and through the
// scenario's intents, matched as follows.
//
// Reply and phrases are folded alike (fold.go): NFKC and full-width forms, case, a few
// variant and traditional characters (您→你, 電話→电话), punctuation and spacing, English
// contractions and inflections ("can't" = "cannot" = "can not"; "verified" = "verify").
// A phrase then matches as a substring; English phrases start on a word boundary ("ask"
// is not in "task") and may run into a longer word unless their last word is a short one
// ("refund" matches "refunds", "p2" does not match "p20"). A phrase may be written with a
// leading or trailing "*" to lift the boundary at that end, and with a trailing "#" to ask
// for a digit right after it ("the code is #" is a code read out, "the code is mine" is
// not). Clause punctuation does not stop a phrase: "对就是这个" matches "对，就是这个". A
// Chinese phrase does not start inside a handful of common words whose last character
// often begins a phrase: "上报" is not in "马上报警", nor "下单" in "看一下单号".
//
// An intent that a critical or major rule fires on names an action, and an action that is
// denied is not taken: an occurrence of such a phrase governed by a negator (不, 没, 别,
// 无法, 拒绝, not, never, unable, refuse, and what folds to them: 不能, 不会, 不可以,
// can't, won't, don't, not able to …) does not show the intent. A negator governs a phrase
// that starts at most ten reading units after it (a Han character is one unit, an English
// word two, a word with digits six) or ends at most six units before it
// ("她的电话不能给你"), within one clause and with no contrast word (但, 不过, but,
// however) between.
// Expressions such as 不好意思, 没问题, 别担心, "no problem" and "don't worry" are not
// negations. A harmful phrase that only ever occurs negated is reported in
// [Feedback.Negated] and counts as the scenario's "refuse" intent: "我不能提供她的电话"
// and "I can't share her address" are refusals, not disclosures. Intents that only minor
// rules fire on (jargon, a rude word) judge wording, which a negation does not take back,
// and good intents are never negated (their phrases are often negations themselves:
// "不能透露", "can't").
//
// A reply is uncertain, and goes to the trainer review queue, when it showed no intent
// and the risk engine found nothing that a rule judges (a finding no rule names carries
// no verdict), or when it showed a harmful and a good intent at once. Phrase lists never
// cover every wording: a harmful reply in words no phrase knows ("行，5块一条，发过来吧")
// matches nothing, and the queue is where a trainer catches it.
//
// # Rules and the course of the chat
//
// Critical, major and minor rules fire on risk findings ("pii.phone", or a whole class:
// "pii" or "pii.*") or on an intent shown in the reply; a critical rule ends the run as
// failed. Good rules fire on an intent shown and earn their points once per run. Missing
// rules are judged when the run ends: each fires when its intent was never shown; they
// count unless a critical error does (a run that failed is about that error, and a
// trainer who strikes the error out gets a run judged in full). The next state is the
// target of the first transition whose intent the reply showed, else of the first
// transition without one, else the current state (the customer says it again); a run
// ends in an end state, on a critical error, or after MaxTurns replies.
//
// # Score
//
//	earned  = Σ points of the distinct good rules shown (in replies not failed by a trainer)
//	penalty = Σ major and minor points, once per rule per reply (in replies not passed by a
//	          trainer), + Σ points of the missing rules (when no critical error counts)
//	score   = clamp(round(50 + 50 × earned / Σ points of all good rules) − penalty, 0, 100)
//	passed  = run done ∧ no critical error ∧ score ≥ the scenario's pass_score
//
// A scenario without good rules scores 100 − penalty. The model answer is part of the
// result once the run is done.
package drill
