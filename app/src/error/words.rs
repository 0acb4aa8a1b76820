//! One message for every way a request can be refused, in the reader's language.
//!
//! The words are translated on the server (`ProblemWords::new`) and travel to the
//! islands whole, so the browser bundle carries no translation tables. Every match
//! here is exhaustive: a new kind of error, rule or field problem does not compile
//! until it has its message, in both languages.

use cairn::alignment::AlignmentError;
use cairn::draft::FieldProblem;
use cairn::period::PeriodError;
use cairn::rules::Rule;
use cairn::values::ValueError;
use cairn::webhooks::UrlProblem;

use super::AppError;

/// The id of the element that carries the page's words.
pub const PAGE_ELEMENT: &str = "problem-words";

crate::ui::island_words! {
/// Sentences, each standing on its own; the place that shows one adds what it
/// was about ("Not saved.", "Not moved.").
pub struct ProblemWords {
    empty,
    too_long,
    too_short,
    control_characters,
    not_finite,
    out_of_range,
    not_positive,
    invalid_email,
    not_a_time,
    not_a_date,
    not_a_duration,
    ambiguous_number,
    /// The reader's decimal mark, for the numbers in a message.
    mark,
    unknown_choice,
    too_many,
    target_not_above_start,
    target_not_below_start,
    reason_needed,
    missing,
    no_match,
    wrong_password,
    url_not_http,
    url_too_long,
    url_no_host,
    url_credentials,
    url_private,
    too_many_attempts,
    kind_fixed,
    reading_kind,
    foreign_milestone,
    milestones_mismatch,
    not_grading,
    carry_from_open_period,
    carry_into_same_period,
    already_carried,
    carry_changed,
    check_in_while_grading,
    period_overlap,
    period_no_next,
    period_transition,
    period_ends_before_start,
    period_date_outside,
    period_no_such_quarter,
    period_no_such_year,
    undated_period,
    outside_parent_period,
    email_taken,
    unit_cycle,
    organisation_on_top,
    parent_needed,
    not_yourself,
    not_empty,
    owner_not_active,
    not_your_check_in,
    not_newest_check_in,
    alignment_self,
    alignment_cycle,
    alignment_period_order,
    alignment_unknown_parent,
    unavailable,
    not_found,
    conflict,
    closed_period,
    malformed,
    unauthenticated,
    forbidden,
    cross_origin,
    transport,
    fix_marked,
}
}

impl ProblemWords {
    /// Every message in the reader's language.
    #[cfg(feature = "ssr")]
    pub fn new(i18n: leptos_i18n::I18nContext<crate::i18n::Locale>) -> ProblemWords {
        use crate::i18n::*;
        let s = |text: &str| text.to_string();
        ProblemWords {
            empty: s(t_string!(i18n, why_empty)),
            // The limit goes where the message says {max}.
            too_long: t_string!(i18n, why_too_long, max = "{max}").to_string(),
            too_short: s(t_string!(i18n, why_too_short)),
            control_characters: s(t_string!(i18n, why_control_characters)),
            not_finite: s(t_string!(i18n, why_not_finite)),
            out_of_range: s(t_string!(i18n, why_out_of_range)),
            not_positive: s(t_string!(i18n, why_not_positive)),
            invalid_email: s(t_string!(i18n, why_invalid_email)),
            not_a_time: s(t_string!(i18n, why_not_a_time)),
            not_a_date: s(t_string!(i18n, why_not_a_date)),
            not_a_duration: s(t_string!(i18n, why_not_a_duration)),
            // The readings go where the message says {own} and {other}.
            ambiguous_number: t_string!(
                i18n,
                why_ambiguous_number,
                own = "{own}",
                other = "{other}"
            )
            .to_string(),
            mark: crate::ui::decimal_mark(i18n),
            unknown_choice: s(t_string!(i18n, why_unknown_choice)),
            too_many: s(t_string!(i18n, why_too_many)),
            target_not_above_start: s(t_string!(i18n, why_target_not_above_start)),
            target_not_below_start: s(t_string!(i18n, why_target_not_below_start)),
            reason_needed: s(t_string!(i18n, why_reason_needed)),
            missing: s(t_string!(i18n, why_missing)),
            no_match: s(t_string!(i18n, why_no_match)),
            wrong_password: s(t_string!(i18n, why_wrong_password)),
            url_not_http: s(t_string!(i18n, why_url_not_http)),
            url_too_long: s(t_string!(i18n, why_url_too_long)),
            url_no_host: s(t_string!(i18n, why_url_no_host)),
            url_credentials: s(t_string!(i18n, why_url_credentials)),
            url_private: s(t_string!(i18n, why_url_private)),
            // The minutes go in where the message says {minutes}.
            too_many_attempts: t_string!(i18n, why_too_many_attempts, minutes = "{minutes}")
                .to_string(),
            kind_fixed: s(t_string!(i18n, why_kind_fixed)),
            reading_kind: s(t_string!(i18n, why_reading_kind)),
            foreign_milestone: s(t_string!(i18n, why_foreign_milestone)),
            milestones_mismatch: s(t_string!(i18n, why_milestones_mismatch)),
            not_grading: s(t_string!(i18n, why_not_grading)),
            carry_from_open_period: s(t_string!(i18n, why_carry_from_open_period)),
            carry_into_same_period: s(t_string!(i18n, why_carry_into_same_period)),
            already_carried: s(t_string!(i18n, why_already_carried)),
            carry_changed: s(t_string!(i18n, why_carry_changed)),
            check_in_while_grading: s(t_string!(i18n, why_check_in_while_grading)),
            period_overlap: s(t_string!(i18n, why_period_overlap)),
            period_no_next: s(t_string!(i18n, why_period_no_next)),
            period_transition: s(t_string!(i18n, why_period_transition)),
            period_ends_before_start: s(t_string!(i18n, why_period_ends_before_start)),
            period_date_outside: s(t_string!(i18n, why_period_date_outside)),
            period_no_such_quarter: s(t_string!(i18n, why_period_no_such_quarter)),
            period_no_such_year: s(t_string!(i18n, why_period_no_such_year)),
            undated_period: s(t_string!(i18n, why_undated_period)),
            outside_parent_period: s(t_string!(i18n, why_outside_parent_period)),
            email_taken: s(t_string!(i18n, why_email_taken)),
            unit_cycle: s(t_string!(i18n, why_unit_cycle)),
            organisation_on_top: s(t_string!(i18n, why_organisation_on_top)),
            parent_needed: s(t_string!(i18n, why_parent_needed)),
            not_yourself: s(t_string!(i18n, why_not_yourself)),
            not_empty: s(t_string!(i18n, why_not_empty)),
            owner_not_active: s(t_string!(i18n, why_owner_not_active)),
            not_your_check_in: s(t_string!(i18n, why_not_your_check_in)),
            not_newest_check_in: s(t_string!(i18n, why_not_newest_check_in)),
            alignment_self: s(t_string!(i18n, why_alignment_self)),
            alignment_cycle: s(t_string!(i18n, why_alignment_cycle)),
            alignment_period_order: s(t_string!(i18n, why_alignment_period_order)),
            alignment_unknown_parent: s(t_string!(i18n, why_alignment_unknown_parent)),
            unavailable: s(t_string!(i18n, why_unavailable)),
            not_found: s(t_string!(i18n, why_not_found)),
            conflict: s(t_string!(i18n, why_conflict)),
            closed_period: s(t_string!(i18n, why_closed_period)),
            malformed: s(t_string!(i18n, why_malformed)),
            unauthenticated: s(t_string!(i18n, why_unauthenticated)),
            forbidden: s(t_string!(i18n, why_forbidden)),
            cross_origin: s(t_string!(i18n, why_cross_origin)),
            transport: s(t_string!(i18n, why_transport)),
            fix_marked: s(t_string!(i18n, why_fix_marked)),
        }
    }

    /// The words of the page being rendered.
    #[cfg(feature = "ssr")]
    pub fn here() -> ProblemWords {
        ProblemWords::new(crate::i18n::use_i18n())
    }

    /// The words every page carries once (see `PageProblemWords`), for an island
    /// that has something to say; read when needed, not at start.
    #[cfg(feature = "hydrate")]
    pub fn from_page() -> ProblemWords {
        leptos::prelude::document()
            .get_element_by_id(PAGE_ELEMENT)
            .and_then(|element| element.text_content())
            .and_then(|json| serde_json::from_str::<Vec<String>>(&json).ok())
            .map(ProblemWords::from)
            .unwrap_or_else(|| ProblemWords::from(Vec::new()))
    }

    /// In an island: a field problem's sentence from the page's words; rendered
    /// on the server, where islands say nothing until they run, `fallback`.
    pub fn field_in_island(problem: &FieldProblem, fallback: &str) -> String {
        #[cfg(feature = "hydrate")]
        {
            let _ = fallback;
            ProblemWords::from_page().field(problem)
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = problem;
            fallback.to_string()
        }
    }

    /// In an island: why a change was refused ("Not saved: …"), as `field_in_island`.
    pub fn refusal_in_island(context: &str, error: &AppError) -> String {
        #[cfg(feature = "hydrate")]
        {
            ProblemWords::from_page().refusal(context, error)
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = error;
            context.to_string()
        }
    }

    pub fn value(&self, problem: &ValueError) -> String {
        let numbers = crate::ui::style_of_mark(&self.mark);
        let text = match problem {
            ValueError::AmbiguousNumber { own, other } => {
                return self
                    .ambiguous_number
                    .replace("{own}", &numbers.write(*own))
                    .replace("{other}", &numbers.write(*other));
            }
            ValueError::Empty => &self.empty,
            ValueError::TooLong { max } => {
                return self.too_long.replace("{max}", &numbers.show(*max as f64));
            }
            ValueError::TooShort { .. } => &self.too_short,
            ValueError::ControlCharacters => &self.control_characters,
            ValueError::NotFinite => &self.not_finite,
            ValueError::OutOfRange { .. } => &self.out_of_range,
            ValueError::NotPositive => &self.not_positive,
            ValueError::InvalidEmail => &self.invalid_email,
            ValueError::NotATime => &self.not_a_time,
            ValueError::NotADate => &self.not_a_date,
            ValueError::NotADuration => &self.not_a_duration,
        };
        text.to_string()
    }

    /// A field's problem, as shown beside the field.
    pub fn field(&self, problem: &FieldProblem) -> String {
        let text = match problem {
            FieldProblem::Value(value) => return self.value(value),
            FieldProblem::UnknownChoice => &self.unknown_choice,
            FieldProblem::TooMany => &self.too_many,
            FieldProblem::TargetNotAboveStart => &self.target_not_above_start,
            FieldProblem::TargetNotBelowStart => &self.target_not_below_start,
            FieldProblem::ReasonNeeded => &self.reason_needed,
            FieldProblem::Missing => &self.missing,
            FieldProblem::NoMatch => &self.no_match,
            FieldProblem::WrongPassword => &self.wrong_password,
            FieldProblem::Address(problem) => match problem {
                UrlProblem::NotHttp => &self.url_not_http,
                UrlProblem::TooLong(_) => &self.url_too_long,
                UrlProblem::NoHost => &self.url_no_host,
                UrlProblem::Credentials => &self.url_credentials,
                UrlProblem::Private => &self.url_private,
            },
        };
        text.to_string()
    }

    pub fn rule(&self, rule: &Rule) -> &str {
        match rule {
            Rule::KindFixed => &self.kind_fixed,
            Rule::ReadingKind => &self.reading_kind,
            Rule::ForeignMilestone => &self.foreign_milestone,
            Rule::MilestonesMismatch => &self.milestones_mismatch,
            Rule::NotGrading => &self.not_grading,
            Rule::CarryFromOpenPeriod => &self.carry_from_open_period,
            Rule::CarryIntoSamePeriod => &self.carry_into_same_period,
            Rule::AlreadyCarried { .. } => &self.already_carried,
            Rule::CarryChanged => &self.carry_changed,
            Rule::CheckInWhileGrading => &self.check_in_while_grading,
            Rule::Period(period) => self.period(period),
            Rule::UndatedPeriod => &self.undated_period,
            Rule::OutsideParentPeriod => &self.outside_parent_period,
            Rule::EmailTaken => &self.email_taken,
            Rule::UnitCycle => &self.unit_cycle,
            Rule::OrganisationOnTop => &self.organisation_on_top,
            Rule::ParentNeeded => &self.parent_needed,
            Rule::NotYourself => &self.not_yourself,
            Rule::NotEmpty => &self.not_empty,
            Rule::OwnerNotActive => &self.owner_not_active,
            Rule::NotYourCheckIn => &self.not_your_check_in,
            Rule::NotNewestCheckIn => &self.not_newest_check_in,
        }
    }

    fn period(&self, problem: &PeriodError) -> &str {
        match problem {
            PeriodError::EndsBeforeStart => &self.period_ends_before_start,
            PeriodError::Transition { .. } => &self.period_transition,
            PeriodError::DateOutside { .. } => &self.period_date_outside,
            PeriodError::NoSuchQuarter => &self.period_no_such_quarter,
            PeriodError::NoSuchYear => &self.period_no_such_year,
            PeriodError::Overlap => &self.period_overlap,
            PeriodError::NoNext => &self.period_no_next,
        }
    }

    pub fn alignment(&self, refused: &AlignmentError) -> &str {
        match refused {
            AlignmentError::SelfAlignment => &self.alignment_self,
            AlignmentError::Cycle { .. } => &self.alignment_cycle,
            AlignmentError::PeriodOrder => &self.alignment_period_order,
            AlignmentError::UnknownParent => &self.alignment_unknown_parent,
        }
    }

    /// What went wrong, in one sentence.
    pub fn of(&self, error: &AppError) -> String {
        match error {
            AppError::Unavailable => self.unavailable.clone(),
            AppError::NotFound => self.not_found.clone(),
            AppError::Conflict => self.conflict.clone(),
            AppError::Rule(rule) => self.rule(rule).to_string(),
            AppError::Invalid { problem, .. } => self.field(problem),
            AppError::Form(_) => self.fix_marked.clone(),
            AppError::Alignment(refused) => self.alignment(refused).to_string(),
            AppError::ClosedPeriod => self.closed_period.clone(),
            AppError::Malformed(_) => self.malformed.clone(),
            AppError::Unauthenticated => self.unauthenticated.clone(),
            AppError::TooManyAttempts { minutes } => self
                .too_many_attempts
                .replace("{minutes}", &minutes.to_string()),
            AppError::Forbidden => self.forbidden.clone(),
            AppError::CrossOrigin => self.cross_origin.clone(),
            AppError::Transport(_) => self.transport.clone(),
        }
    }

    /// `context` ("Not saved.") and what went wrong.
    pub fn refusal(&self, context: &str, error: &AppError) -> String {
        format!("{context} {}", self.of(error))
    }
}

/// The words, once per page, as data the islands read when they need them: a
/// list of strings in a script element that never runs (`application/json`).
#[leptos::component]
pub fn PageProblemWords() -> impl leptos::IntoView {
    use leptos::prelude::*;
    #[cfg(feature = "ssr")]
    let json = {
        let words: Vec<String> = ProblemWords::here().into();
        // Nothing in the text may end the element early.
        serde_json::to_string(&words)
            .unwrap_or_default()
            .replace('<', "\\u003c")
    };
    #[cfg(not(feature = "ssr"))]
    let json = String::new();
    view! { <script type="application/json" id=PAGE_ELEMENT inner_html=json></script> }
}
