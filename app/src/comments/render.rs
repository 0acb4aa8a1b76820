//! Markdown to safe HTML, with @mentions turned into links to people.

use std::collections::HashMap;

/// Safe HTML of a description: the same Markdown and cleaning as a comment's,
/// without mentions.
pub fn markdown(text: &str) -> String {
    to_html(text, &HashMap::new())
}

/// The @handles a text mentions (lower case, without the @), each once.
pub use cairn::notify::mentioned_handles as mentions;

/// Safe HTML of a comment: Markdown rendered, then cleaned (no scripts, styles or
/// event attributes; links get rel="noopener noreferrer"). `people` maps a handle
/// to the person's id and name; mentions of anyone else stay plain text.
pub fn to_html(text: &str, people: &HashMap<String, (i64, String)>) -> String {
    let mut linked = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        let (before, after) = rest.split_at(at);
        linked.push_str(before);
        let boundary = before
            .chars()
            .last()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '.'));
        let handle: String = after[1..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
            .collect();
        let handle = handle.trim_end_matches(['.', '-', '_']).to_string();
        match people.get(&handle.to_lowercase()) {
            Some((id, name)) if boundary && !handle.is_empty() => {
                let name = name.replace(['[', ']'], "");
                linked.push_str(&format!("[@{name}](/people/{id})"));
                rest = &after[1 + handle.len()..];
            }
            _ => {
                linked.push('@');
                rest = &after[1..];
            }
        }
    }
    linked.push_str(rest);
    let mut html = String::new();
    let parser =
        pulldown_cmark::Parser::new_ext(&linked, pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
    pulldown_cmark::html::push_html(&mut html, parser);
    // No images: a picture from another site would tell it who read the comment
    // and when (a tracking pixel). The page's policy refuses them as well.
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into())
        .rm_tags(["img"])
        .clean(&html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_from_elsewhere_are_never_loaded() {
        let html = to_html(
            "Look ![pixel](https://tracker.example/p.gif?who=me) <img src=\"https://tracker.example/x.gif\">",
            &HashMap::new(),
        );
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("tracker.example/x.gif"), "{html}");
    }

    #[test]
    fn markdown_is_rendered_and_scripts_are_not() {
        let people = HashMap::new();
        let html = to_html(
            "**Great** work, see [the plan](https://example.org/plan)",
            &people,
        );
        assert!(html.contains("<strong>Great</strong>"), "{html}");
        assert!(
            html.contains(r#"href="https://example.org/plan""#),
            "{html}"
        );
        assert!(html.contains("noopener"), "{html}");
        for evil in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<style>body{display:none}</style>",
        ] {
            let html = to_html(evil, &people);
            assert!(!html.contains("<script"), "{evil} -> {html}");
            assert!(!html.contains("onerror"), "{evil} -> {html}");
            assert!(!html.contains("javascript:"), "{evil} -> {html}");
            assert!(!html.contains("<style"), "{evil} -> {html}");
        }
    }

    #[test]
    fn mentions_link_to_people_and_only_known_ones() {
        assert_eq!(
            mentions("Thanks @Anna.deVries and @bram, mail me@home.nl"),
            ["anna.devries", "bram"]
        );
        let people =
            HashMap::from([("anna.devries".to_string(), (7, "Anna de Vries".to_string()))]);
        let html = to_html("Thanks @anna.devries. Ask @nobody, or me@home.nl", &people);
        assert!(
            html.contains(r#"<a href="/people/7" rel="noopener noreferrer">@Anna de Vries</a>."#),
            "{html}"
        );
        assert!(html.contains("@nobody"), "{html}");
        assert!(!html.contains("/people/7\">@Anna de Vries</a>@"), "{html}");
        assert!(html.contains("me@home.nl"), "{html}");
    }
}
