//! Every sentence Cairn's mail says, in English and Dutch. One struct, filled in
//! once per language: a sentence missing in either does not compile. `{name}`
//! marks where a value goes (see `fill`).

use cairn::notify::NoticeKind;

pub struct Words {
    pub lang: &'static str,
    pub greeting: &'static str,
    pub signature: &'static str,
    pub months: [&'static str; 12],
    pub days: [&'static str; 7],

    pub reminder_subject: &'static str,
    pub reminder_lead: &'static str,
    pub reminder_item: &'static str,
    pub reminder_item_never: &'static str,
    pub reminder_action: &'static str,
    pub reminder_why: &'static str,

    pub escalation_subject: &'static str,
    pub escalation_lead: &'static str,
    pub escalation_item: &'static str,
    pub escalation_action: &'static str,
    pub escalation_why: &'static str,

    pub digest_subject: &'static str,
    pub digest_lead: &'static str,
    pub digest_changes: &'static str,
    pub digest_change: &'static str,
    pub digest_more: &'static str,
    pub digest_at_risk: &'static str,
    pub digest_at_risk_item: &'static str,
    pub digest_off_track_item: &'static str,
    pub digest_to_do: &'static str,
    pub digest_action: &'static str,
    pub digest_why: &'static str,

    pub mention_subject: &'static str,
    pub reply_subject: &'static str,
    pub comments_subject: &'static str,
    pub mention_line: &'static str,
    pub reply_line: &'static str,
    pub reply_check_in_line: &'static str,
    pub comments_action: &'static str,
    pub mention_why: &'static str,
    pub reply_why: &'static str,

    pub grading_subject: &'static str,
    pub grading_lead: &'static str,
    pub grading_action: &'static str,
    pub grading_why: &'static str,

    pub webhook_subject: &'static str,
    pub webhook_lead: &'static str,
    pub webhook_action: &'static str,
    pub webhook_why: &'static str,

    pub invitation_subject: &'static str,
    pub invitation_lead: &'static str,
    pub invitation_why: &'static str,
    pub link_subject: &'static str,
    pub link_lead: &'static str,
    pub link_why: &'static str,
    pub reset_subject: &'static str,
    pub reset_lead: &'static str,
    pub reset_why: &'static str,
    pub sign_in_action: &'static str,
    pub link_expiry: &'static str,

    pub unsubscribe: &'static str,
    pub preferences: &'static str,
}

impl Words {
    /// The name of a kind of notice, as the unsubscribe line says it.
    pub fn kind_name(&self, kind: NoticeKind) -> &'static str {
        let en = self.lang == "en";
        match kind {
            NoticeKind::Reminder if en => "check-in reminders",
            NoticeKind::Reminder => "check-in-herinneringen",
            NoticeKind::Escalation if en => "overdue summaries for leads",
            NoticeKind::Escalation => "overzichten van achterstanden voor leads",
            NoticeKind::Digest if en => "weekly digests",
            NoticeKind::Digest => "wekelijkse overzichten",
            NoticeKind::Mention if en => "mentions",
            NoticeKind::Mention => "vermeldingen",
            NoticeKind::Reply if en => "comments on your objectives",
            NoticeKind::Reply => "reacties op je doelstellingen",
            NoticeKind::Grading if en => "grading notices",
            NoticeKind::Grading => "meldingen over beoordelen",
            NoticeKind::Webhook if en => "notices about your webhooks",
            NoticeKind::Webhook => "meldingen over je webhooks",
        }
    }

    /// `16 November 2026` / `16 november 2026`.
    pub fn date(&self, day: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        format!(
            "{} {} {}",
            day.day(),
            self.months[day.month0() as usize],
            day.year()
        )
    }
}

/// `template` with each `{key}` replaced by its value.
/// In one pass: a value that itself holds `{...}` is left as it is.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let named = after.find('}').and_then(|close| {
            let key = &after[..close];
            values
                .iter()
                .find(|(name, _)| *name == key)
                .map(|(_, value)| (*value, close))
        });
        match named {
            Some((value, close)) => {
                text.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                text.push('{');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    text
}

pub static EN: Words = Words {
    lang: "en",
    greeting: "Hello {name},",
    signature: "Cairn, your organisation's OKR portal: {url}",
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    days: [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],

    reminder_subject: "Check-in due: {count} key results",
    reminder_lead: "These key results of yours wait for this week's check-in:",
    reminder_item: "{key_result} (objective: {objective}), no check-in for {days} days",
    reminder_item_never: "{key_result} (objective: {objective}), never checked in on",
    reminder_action: "Check in now",
    reminder_why: "You get this because you check in on these key results and none of them had a check-in since last week's reminder.",

    escalation_subject: "{unit}: {count} key results without a check-in",
    escalation_lead: "These key results in {unit} had no check-in after {grace} reminders:",
    escalation_item: "{key_result} (objective: {objective}): {person}, {reminders} reminders",
    escalation_action: "Open {unit}",
    escalation_why: "You get this because you lead {unit}. You get one summary a week while anything in it is overdue.",

    digest_subject: "Your week in Cairn: {week}",
    digest_lead: "The week from {week} in your units and the objectives you own or follow.",
    digest_changes: "What changed",
    digest_change: "{objective}: {what}; now at {progress}",
    digest_more: "and {count} more",
    digest_at_risk: "At risk",
    digest_at_risk_item: "{key_result} (objective: {objective}): at risk, at {progress}",
    digest_off_track_item: "{key_result} (objective: {objective}): off track, at {progress}",
    digest_to_do: "Yours to do: a check-in on",
    digest_action: "Open Cairn",
    digest_why: "You get this weekly digest because you belong to these units, or own or follow these objectives. A week with nothing to tell sends nothing.",

    mention_subject: "{author} mentioned you on “{objective}”",
    reply_subject: "{author} commented on “{objective}”",
    comments_subject: "{count} new comments for you",
    mention_line: "{author} mentioned you on “{objective}”: “{excerpt}”",
    reply_line: "{author} commented on your objective “{objective}”: “{excerpt}”",
    reply_check_in_line: "{author} answered your check-in on “{objective}”: “{excerpt}”",
    comments_action: "Open your inbox",
    mention_why: "You get this because someone mentioned you in a comment. Comments arriving close together come in one mail.",
    reply_why: "You get this because someone commented on an objective of yours or answered your check-in. Comments arriving close together come in one mail.",

    grading_subject: "Time to grade: {period}",
    grading_lead: "{period} is now in grading. Grade these objectives and write down what you learned:",
    grading_action: "Grade now",
    grading_why: "You get this because you own these objectives, or lead the unit that does.",
    webhook_subject: "Webhook switched off: {url}",
    webhook_lead: "Cairn stopped sending events to {url} after {failures} failed attempts in a row. Events wait for it: switch it on again once the receiver answers, and they go out in order.",
    webhook_action: "See its deliveries",
    webhook_why: "You get this because you made this webhook.",

    invitation_subject: "You are invited to {organisation}'s OKRs",
    invitation_lead: "{inviter} added you to Cairn, where everyone's objectives and key results are open to all. Sign in with the link below and choose a password.",
    invitation_why: "You get this because an admin added you with this address.",
    link_subject: "Your sign-in link for Cairn",
    link_lead: "{inviter} made you a new sign-in link. Use it to sign in and choose a password.",
    link_why: "You get this because an admin made you a new sign-in link.",
    reset_subject: "Sign in to Cairn and choose a new password",
    reset_lead: "Someone asked for a sign-in link for this address on Cairn's sign-in page. Use it to sign in and choose a new password.",
    reset_why: "You get this because this address was typed on the sign-in page. If that was not you, ignore this mail: nothing changes, and your password still works.",
    sign_in_action: "Sign in",
    link_expiry: "The link works once, within {hours} hours.",

    unsubscribe: "Stop {kind} by mail: {url}",
    preferences: "Choose what Cairn sends you: {url}",
};

pub static NL: Words = Words {
    lang: "nl",
    greeting: "Hallo {name},",
    signature: "Cairn, het OKR-portaal van je organisatie: {url}",
    months: [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    days: [
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
    ],

    reminder_subject: "Tijd voor je check-in: {count} kernresultaten",
    reminder_lead: "Deze kernresultaten van jou wachten op de check-in van deze week:",
    reminder_item: "{key_result} (doelstelling: {objective}), al {days} dagen geen check-in",
    reminder_item_never: "{key_result} (doelstelling: {objective}), nog nooit ingecheckt",
    reminder_action: "Nu inchecken",
    reminder_why: "Je krijgt dit omdat jij incheckt op deze kernresultaten en geen ervan een check-in had sinds de herinnering van vorige week.",

    escalation_subject: "{unit}: {count} kernresultaten zonder check-in",
    escalation_lead: "Deze kernresultaten in {unit} hadden na {grace} herinneringen nog geen check-in:",
    escalation_item: "{key_result} (doelstelling: {objective}): {person}, {reminders} herinneringen",
    escalation_action: "Open {unit}",
    escalation_why: "Je krijgt dit omdat je {unit} leidt. Zolang er iets achterloopt krijg je één overzicht per week.",

    digest_subject: "Jouw week in Cairn: {week}",
    digest_lead: "De week vanaf {week} in jouw eenheden en de doelstellingen die je bezit of volgt.",
    digest_changes: "Wat er veranderde",
    digest_change: "{objective}: {what}; nu op {progress}",
    digest_more: "en nog {count}",
    digest_at_risk: "Risico",
    digest_at_risk_item: "{key_result} (doelstelling: {objective}): risico, op {progress}",
    digest_off_track_item: "{key_result} (doelstelling: {objective}): loopt achter, op {progress}",
    digest_to_do: "Voor jou te doen: een check-in op",
    digest_action: "Open Cairn",
    digest_why: "Je krijgt dit wekelijkse overzicht omdat je bij deze eenheden hoort, of deze doelstellingen bezit of volgt. Een week zonder nieuws stuurt niets.",

    mention_subject: "{author} noemde je bij “{objective}”",
    reply_subject: "{author} reageerde op “{objective}”",
    comments_subject: "{count} nieuwe reacties voor jou",
    mention_line: "{author} noemde je bij “{objective}”: “{excerpt}”",
    reply_line: "{author} reageerde op jouw doelstelling “{objective}”: “{excerpt}”",
    reply_check_in_line: "{author} reageerde op jouw check-in bij “{objective}”: “{excerpt}”",
    comments_action: "Open je inbox",
    mention_why: "Je krijgt dit omdat iemand je noemde in een reactie. Reacties die kort na elkaar komen, krijg je in één mail.",
    reply_why: "Je krijgt dit omdat iemand reageerde op een doelstelling van jou of op jouw check-in. Reacties die kort na elkaar komen, krijg je in één mail.",

    grading_subject: "Tijd om te beoordelen: {period}",
    grading_lead: "{period} wordt nu beoordeeld. Beoordeel deze doelstellingen en schrijf op wat je leerde:",
    grading_action: "Nu beoordelen",
    grading_why: "Je krijgt dit omdat je deze doelstellingen bezit, of de eenheid leidt die ze bezit.",
    webhook_subject: "Webhook uitgezet: {url}",
    webhook_lead: "Cairn stuurt geen gebeurtenissen meer naar {url} na {failures} mislukte pogingen op rij. De gebeurtenissen wachten: zet de webhook weer aan zodra de ontvanger antwoordt, dan gaan ze op volgorde de deur uit.",
    webhook_action: "Bekijk de afleveringen",
    webhook_why: "Je krijgt dit omdat je deze webhook hebt gemaakt.",

    invitation_subject: "Je bent uitgenodigd voor de OKR's van {organisation}",
    invitation_lead: "{inviter} heeft je toegevoegd aan Cairn, waar ieders doelstellingen en kernresultaten voor iedereen open staan. Meld je aan met de link hieronder en kies een wachtwoord.",
    invitation_why: "Je krijgt dit omdat een beheerder je met dit adres heeft toegevoegd.",
    link_subject: "Je aanmeldlink voor Cairn",
    link_lead: "{inviter} heeft een nieuwe aanmeldlink voor je gemaakt. Meld je ermee aan en kies een wachtwoord.",
    link_why: "Je krijgt dit omdat een beheerder een nieuwe aanmeldlink voor je maakte.",
    reset_subject: "Meld je aan bij Cairn en kies een nieuw wachtwoord",
    reset_lead: "Iemand vroeg op de aanmeldpagina van Cairn een aanmeldlink aan voor dit adres. Meld je ermee aan en kies een nieuw wachtwoord.",
    reset_why: "Je krijgt dit omdat dit adres op de aanmeldpagina werd ingevuld. Was jij dat niet, negeer deze mail dan: er verandert niets en je wachtwoord blijft werken.",
    sign_in_action: "Aanmelden",
    link_expiry: "De link werkt één keer, binnen {hours} uur.",

    unsubscribe: "Geen {kind} meer per mail: {url}",
    preferences: "Kies wat Cairn je stuurt: {url}",
};

/// The words of a language code (`nl`; anything else is English).
pub fn words(lang: Option<&str>) -> &'static Words {
    match lang {
        Some("nl") => &NL,
        _ => &EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_go_where_their_names_are() {
        assert_eq!(
            fill(EN.reminder_subject, &[("count", "3")]),
            "Check-in due: 3 key results"
        );
        assert_eq!(
            fill(NL.greeting, &[("name", "Anna {name}")]),
            "Hallo Anna {name},"
        );
        assert_eq!(fill("{a}{b} {c}", &[("b", "{a}"), ("a", "x")]), "x{a} {c}");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
        assert_eq!(NL.date(day), "16 november 2026");
        assert_eq!(EN.date(day), "16 November 2026");
    }

    #[test]
    fn both_languages_name_the_same_values() {
        let names = |w: &Words| -> Vec<Vec<String>> {
            [
                w.reminder_item,
                w.escalation_lead,
                w.digest_change,
                w.reply_check_in_line,
                w.invitation_lead,
                w.unsubscribe,
            ]
            .iter()
            .map(|t| {
                let mut found: Vec<String> = t
                    .split('{')
                    .skip(1)
                    .filter_map(|part| part.split_once('}').map(|(n, _)| n.to_string()))
                    .collect();
                found.sort();
                found
            })
            .collect()
        };
        assert_eq!(names(&EN), names(&NL));
    }
}
