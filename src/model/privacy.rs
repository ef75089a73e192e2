//! Privacy of participants (SPEC §6), enforced on the model before anything is rendered.
//!
//! Authoring errors (no consent, a minor shown by name or face, an image without alt text, a
//! name in a web address) fail the build. Expired or withdrawn consent is not an error but a
//! takedown: the story is removed from the `Site` here, so that no later stage can publish it,
//! and a warning names it. Nothing is dropped silently.

use rayon::prelude::*;

use crate::diag::{Diagnostics, SourceText};

use super::regions::slugify;
use super::schema::{Faces, GivenBy, Identifiability, ImageFm, Scope, StoryFm, StoryKind};
use super::yaml::Origin;
use super::{Doc, Site, TakenDown};
use serde_saphyr::Spanned;

const FM: Origin = Origin { first_line: 2 };

pub fn check(site: &mut Site, diags: &mut Diagnostics) {
    // Each story checked on any thread, what it reports kept in the stories' order.
    let shared: &Site = site;
    let found: Vec<Diagnostics> = shared
        .stories
        .par_iter()
        .map(|story| {
            let mut d = Diagnostics::new();
            for doc in story.docs.values() {
                check_story(&story.key, doc, shared, &mut d);
            }
            d
        })
        .collect();
    for d in found {
        diags.extend(d);
    }
    for news in &site.news {
        for doc in news.docs.values() {
            if let Some(img) = &doc.fm.image {
                check_alt(img, &doc.src, diags);
            }
        }
    }

    let today = site.today;
    let mut kept = Vec::with_capacity(site.stories.len());
    for story in std::mem::take(&mut site.stories) {
        // The first of its texts whose consent no longer holds, and the line that says so.
        let reason = story.docs.values().find_map(|d| {
            let c = &d.fm.consent.as_ref()?.value;
            if let Some(w) = c.withdrawn.as_ref().filter(|w| w.value) {
                return Some((d, FM.pos_of(w), "consent was withdrawn".to_string()));
            }
            match &c.expires {
                Some(e) if e.value < today => {
                    Some((d, FM.pos_of(e), format!("consent expired on {}", e.value)))
                }
                _ => None,
            }
        });
        match reason {
            Some((doc, pos, reason)) => {
                let file = doc.src.path.clone();
                diags
                    .warning(&doc.src, pos, format!("story `{}` taken down: {reason}", story.key))
                    .help("the story is left out of every page, list, feed, sitemap, search index and calendar; renew the consent (a new `expires` date) to publish it again, or delete the story");
                let mut slugs: Vec<String> = story
                    .docs
                    .values()
                    .filter_map(|d| Some(d.fm.slug.as_ref()?.value.clone()))
                    .chain([story.key.clone()])
                    .collect();
                slugs.sort();
                slugs.dedup();
                let assets = site
                    .assets
                    .iter()
                    .filter(|a| a.section == "stories" && a.key == story.key)
                    .cloned()
                    .collect();
                site.taken_down.push(TakenDown {
                    key: story.key.clone(),
                    file,
                    reason,
                    slugs,
                    story: std::sync::Arc::new(story),
                    assets,
                });
            }
            None => kept.push(story),
        }
    }
    site.stories = kept;
    warn_expiring(site, diags);
    // Assets of a taken-down story must not be published either.
    let gone: Vec<String> = site.taken_down.iter().map(|t| t.key.clone()).collect();
    site.assets
        .retain(|a| !(a.section == "stories" && gone.contains(&a.key)));
}

fn check_story(key: &str, doc: &Doc<StoryFm>, site: &Site, diags: &mut Diagnostics) {
    let fm = &doc.fm;
    let src = &doc.src;
    let about_person = fm.kind.value == StoryKind::Participant || fm.person.is_some();
    if about_person && fm.consent.is_none() {
        let (pos, what) = match &fm.person {
            // A block's span starts at its first inner key; point at `person:` itself.
            Some(p) => (
                src.find_key(1, "person:")
                    .unwrap_or(FM.pos(&p.referenced, 6)),
                "has a `person` block",
            ),
            None => (FM.pos_of(&fm.kind), "is about a participant"),
        };
        diags
            .error(src, pos, format!("this story {what} but no `consent` block"))
            .help("a story about a person needs the consent record: add `consent: {reference: …, date: …, given_by: self, scope: [web]}` — or, without consent, do not publish it");
    }
    // A consent that has ended takes the story down anyway (below): its scope no longer
    // matters, and an error would stop the build that removes the story.
    let ended = fm.consent.as_ref().is_some_and(|c| {
        c.value.withdrawn.as_ref().is_some_and(|w| w.value)
            || c.value
                .expires
                .as_ref()
                .is_some_and(|e| e.value < site.today)
    });
    if about_person
        && !ended
        && let Some(c) = &fm.consent
        && !c.value.scope.contains(&Scope::Web)
    {
        // `scope` is a plain list: find its line inside the consent block.
        let pos = src
            .find_key(FM.pos_of(c).line, "scope:")
            .unwrap_or(FM.pos(&c.referenced, 1));
        diags
            .error(src, pos, "the consent does not cover publication on the website: `web` is not in `scope`")
            .help("add web to scope only if the signed consent covers publication on the website; otherwise the story cannot be published here");
    }
    if fm.kind.value == StoryKind::Participant && fm.person.is_none() {
        diags
            .error(src, FM.pos_of(&fm.kind), "a participant story needs a `person` block")
            .help("add `person: {display_name: \"…\", identifiability: pseudonym, minor: false}` so the site knows how the person may be shown");
    }
    if let Some(person) = &fm.person {
        let p = &person.value;
        let minor = p.minor.as_ref().is_some_and(|m| m.value);
        if minor {
            let ident = p.identifiability.value;
            if !matches!(
                ident,
                Identifiability::Pseudonym | Identifiability::Anonymous
            ) {
                diags
                    .error(src, FM.pos_of(&p.identifiability), "a minor must not be shown by name")
                    .help("set `identifiability: pseudonym` (and a made-up display_name) or `identifiability: anonymous`");
            }
            if let Some(c) = &fm.consent
                && c.value.given_by.value == GivenBy::Myself
            {
                diags
                    .error(src, FM.pos_of(&c.value.given_by), "consent for a minor must be given by a parent or guardian")
                    .help("set `given_by: parent` or `given_by: guardian`, as on the signed consent record");
            }
            if let Some(img) = &fm.image
                && let Some(f) = &img.value.faces
                && f.value == Faces::Consented
            {
                diags
                    .error(src, FM.pos_of(f), "a minor's face must not be shown")
                    .help("use a picture without the face (`faces: none`) or with the face blurred (`faces: blurred`)");
            }
        }
        // A name that identifies the person must not reach the web address or file names.
        if matches!(
            p.identifiability.value,
            Identifiability::Named | Identifiability::FirstName | Identifiability::Pseudonym
        ) {
            let name_words: Vec<String> = slugify(&p.display_name.value)
                .split('-')
                .filter(|w| w.len() >= 3)
                .map(str::to_string)
                .collect();
            let slug = fm.slug.as_ref().map(|s| s.value.as_str()).unwrap_or(key);
            let in_slug = |s: &str| s.split('-').any(|w| name_words.iter().any(|n| n == w));
            if in_slug(slug) {
                let pos = fm
                    .slug
                    .as_ref()
                    .map(|s| FM.pos_of(s))
                    .unwrap_or(FM.pos_of(&p.display_name));
                diags
                    .error(src, pos, format!("the web address `{slug}` contains the person's name"))
                    .help("names never go into web addresses: rename the story's folder (or its `slug`) after what happened, for example `from-internship-to-contract`");
            }
            for a in site
                .assets
                .iter()
                .filter(|a| a.section == "stories" && a.key == key)
            {
                if in_slug(&slugify(&a.name)) {
                    diags
                        .error(src, FM.pos_of(&p.display_name), format!("the file name `{}` contains the person's name", a.name))
                        .help("rename the picture after what it shows (for example `kitchen.jpg`): file names are published");
                }
            }
        }
    }
    if let Some(img) = &fm.image {
        check_alt(img, src, diags);
    }
}

/// Days before its expiry that a consent is warned about, unless site.yaml says otherwise.
pub const EXPIRY_WARNING_DAYS: u32 = 60;

/// The warning period of the site (`privacy: {expiry_warning_days: …}` in site.yaml).
pub fn warning_days(site: &Site) -> u32 {
    site.config
        .privacy
        .as_ref()
        .and_then(|p| p.expiry_warning_days)
        .unwrap_or(EXPIRY_WARNING_DAYS)
}

/// Days from `today` to `day` (negative when `day` is past).
pub fn days_between(today: jiff::civil::Date, day: jiff::civil::Date) -> i64 {
    day.since(today)
        .map(|s| i64::from(s.get_days()))
        .unwrap_or(0)
}

/// The first day a story whose consent ends on `expires` is no longer published.
pub fn takedown_day(expires: jiff::civil::Date) -> jiff::civil::Date {
    expires.tomorrow().unwrap_or(expires)
}

/// Warns, in every text of a published story, about a consent that ends within the warning
/// period: someone has to renew it before the next builds take the story down.
fn warn_expiring(site: &Site, diags: &mut Diagnostics) {
    let within = i64::from(warning_days(site));
    for story in &site.stories {
        for doc in story.docs.values() {
            let Some(e) = doc
                .fm
                .consent
                .as_ref()
                .and_then(|c| c.value.expires.as_ref())
            else {
                continue;
            };
            let left = days_between(site.today, e.value);
            if !(0..=within).contains(&left) {
                continue;
            }
            let when = match left {
                0 => "today".to_string(),
                1 => "tomorrow".to_string(),
                n => format!("in {n} days"),
            };
            let off = takedown_day(e.value);
            diags
                .warning(&doc.src, FM.pos_of(e), format!("the consent for story `{}` expires on {} ({when})", story.key, e.value))
                .help(format!("renew the consent and update `expires`, or the story will be taken down on {off}"));
        }
    }
}

fn check_alt(img: &Spanned<ImageFm>, src: &SourceText, diags: &mut Diagnostics) {
    match &img.value.alt {
        None => {
            diags
                .error(src, FM.pos(&img.referenced, 5), "this image has no alt text")
                .help("add `alt: \"…\"` describing what the picture shows, for people who cannot see it");
        }
        Some(a) if a.value.trim().is_empty() => {
            diags
                .error(src, FM.pos_of(a), "this image has an empty alt text")
                .help("describe what the picture shows, for people who cannot see it");
        }
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::model::testing::{STORY, STORY_PATH, TODAY, build_site, files, lines};

    /// The test story with its consent block ending in `extra` lines (indented by two).
    fn story_with_consent(extra: &str) -> String {
        STORY.replace("  scope: [web]\n", &format!("  scope: [web]\n{extra}"))
    }

    fn build_story(story: &str) -> (Option<crate::model::Site>, Vec<String>) {
        let (site, d) = build_site(&files(&[(STORY_PATH, story)]), TODAY);
        (site, lines(&d))
    }

    #[test]
    fn a_consent_ending_within_the_warning_period_warns_at_its_line_and_keeps_the_story() {
        let (site, d) = build_story(&story_with_consent("  expires: 2026-01-31\n"));
        let site = site.unwrap();
        assert_eq!(site.stories.len(), 1);
        assert!(site.taken_down.is_empty());
        assert_eq!(
            d,
            [format!(
                "{STORY_PATH}:17: the consent for story `dal-tirocinio-al-lavoro` expires on 2026-01-31 (in 30 days) | renew the consent and update `expires`, or the story will be taken down on 2026-02-01"
            )]
        );
        // Ending today is still within the period, and said so.
        let (_, d) = build_story(&story_with_consent("  expires: 2026-01-01\n"));
        assert!(d[0].contains("expires on 2026-01-01 (today)"), "{d:?}");
    }

    #[test]
    fn the_warning_period_is_sixty_days_unless_site_yaml_says_otherwise() {
        let later = story_with_consent("  expires: 2026-04-01\n"); // 90 days ahead
        let (_, d) = build_story(&later);
        assert_eq!(d, Vec::<String>::new());
        let yaml = format!(
            "{}privacy: {{expiry_warning_days: 120}}\n",
            crate::model::testing::SITE_YAML
        );
        let (_, d) = build_site(
            &files(&[(STORY_PATH, later.as_str()), ("site.yaml", yaml.as_str())]),
            TODAY,
        );
        let d = lines(&d);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].contains("expires on 2026-04-01 (in 90 days)"), "{d:?}");
    }

    #[test]
    fn an_expired_consent_takes_the_story_down_with_a_warning_not_an_error() {
        let (site, d) = build_story(&story_with_consent("  expires: 2025-12-31\n"));
        let site = site.unwrap();
        assert!(site.stories.is_empty(), "the story must not be published");
        assert_eq!(site.taken_down.len(), 1);
        let t = &site.taken_down[0];
        assert_eq!(t.key, "dal-tirocinio-al-lavoro");
        assert_eq!(t.reason, "consent expired on 2025-12-31");
        assert_eq!(t.slugs, ["dal-tirocinio-al-lavoro"]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].starts_with(&format!(
                "{STORY_PATH}:17: story `dal-tirocinio-al-lavoro` taken down: consent expired on 2025-12-31 |"
            )),
            "{d:?}"
        );
    }

    #[test]
    fn a_withdrawn_consent_takes_the_story_down_even_before_it_expires() {
        let story = story_with_consent("  expires: 2030-01-01\n  withdrawn: true\n");
        let (site, d) = build_story(&story);
        let site = site.unwrap();
        assert!(site.stories.is_empty());
        assert_eq!(site.taken_down[0].reason, "consent was withdrawn");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].contains(":18: story `dal-tirocinio-al-lavoro` taken down: consent was withdrawn"),
            "{d:?}"
        );
        // `withdrawn: false` publishes it.
        let (site, d) = build_story(&story_with_consent("  withdrawn: false\n"));
        assert_eq!(site.unwrap().stories.len(), 1);
        assert_eq!(d, Vec::<String>::new());
    }

    #[test]
    fn a_story_about_a_person_without_consent_is_an_error() {
        let start = STORY.find("consent:").unwrap();
        let end = STORY.find("---\n\nTesto").unwrap();
        let no_consent = format!("{}{}", &STORY[..start], &STORY[end..]);
        let (_, d) = build_story(&no_consent);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].starts_with(&format!(
                "{STORY_PATH}:8: this story has a `person` block but no `consent` block |"
            )),
            "{d:?}"
        );
        // A story about no one in particular (a host's) needs none.
        let host = no_consent
            .replace("kind: participant", "kind: host")
            .replace(
                "person:\n  display_name: \"Amina\"\n  identifiability: pseudonym\n  minor: false\n",
                "",
            );
        let (site, d) = build_story(&host);
        assert_eq!(d, Vec::<String>::new());
        assert_eq!(site.unwrap().stories.len(), 1);
    }

    #[test]
    fn a_consent_without_web_in_its_scope_is_an_error_unless_it_has_ended() {
        let social = STORY.replace("scope: [web]", "scope: [social, print]");
        let (_, d) = build_story(&social);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].contains(":16: the consent does not cover publication on the website"),
            "{d:?}"
        );
        // Ended: taken down, and no error stops the build that removes it.
        let ended = social.replace(
            "  given_by: self\n",
            "  given_by: self\n  withdrawn: true\n",
        );
        let (site, d) = build_story(&ended);
        assert_eq!(site.unwrap().taken_down.len(), 1);
        assert!(d.iter().all(|l| l.contains("taken down")), "{d:?}");
    }

    #[test]
    fn a_minor_is_never_named_and_consents_through_a_parent() {
        let minor = STORY
            .replace("identifiability: pseudonym", "identifiability: first-name")
            .replace("minor: false", "minor: true");
        let (_, d) = build_story(&minor);
        let errors: Vec<&String> = d.iter().collect();
        assert_eq!(errors.len(), 2, "{d:?}");
        assert!(
            errors[0].contains(":10: a minor must not be shown by name"),
            "{d:?}"
        );
        assert!(
            errors[1].contains(":15: consent for a minor must be given by a parent or guardian"),
            "{d:?}"
        );
        let fixed = minor
            .replace("identifiability: first-name", "identifiability: pseudonym")
            .replace("given_by: self", "given_by: guardian");
        assert_eq!(build_story(&fixed).1, Vec::<String>::new());
    }

    #[test]
    fn the_persons_name_never_goes_into_the_web_address() {
        let named = STORY.replace(
            "date: 2025-06-01\n",
            "date: 2025-06-01\nslug: la-storia-di-amina\n",
        );
        let (_, d) = build_story(&named);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].contains(":4: the web address `la-storia-di-amina` contains the person's name"),
            "{d:?}"
        );
    }
}
