//! The exact text of every class of diagnostic, as authors read it (SPEC §7: `error:` /
//! `--> file:line:col` / the line with a caret / `help:`), each from a small fixture site of
//! tests/fixtures/ that makes exactly one kind of mistake. The texts are insta snapshots in
//! tests/snapshots/: a change of wording, place or help shows up as a diff to review.
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test --test diagnostics`) records a
//! meant change; under CI nothing new is written and a difference fails.
//!
//! The classes, by where they are raised:
//! - YAML and the schema (model/yaml.rs): a syntax error; an unknown key with "did you mean";
//!   a missing required key (in a story, in site.yaml); a wrong kind of value; a date that does
//!   not exist; a value that is not one of the allowed words; a key written twice.
//! - references (model): an unknown project, region, fund or organisation, with "did you
//!   mean"; two pages with the same address, by a section's name or by a `slug:` (plan).
//! - loading (load): a translation in a language the site does not have; a folder that is not
//!   a content section; an empty file; a file without front matter; an unknown theme; a
//!   language listed twice in site.yaml.
//! - privacy (model/privacy.rs, SPEC §6): a story about a person without consent; a consent
//!   that does not cover the website; a participant story without a `person` block; a minor
//!   shown by name, with consent not from a parent or guardian, or with the face shown; the
//!   person's name in a web address or a file name; a consent expired or withdrawn (a warning
//!   and a takedown); a consent about to expire (a warning); a cover picture without alt text,
//!   or not in the story's folder; a summary over 100 words.
//! - Markdown (render/markdown.rs, model/bundle.rs): raw HTML; attributes on a heading; a link
//!   to a page the site does not have; an unsafe address scheme; a picture from elsewhere; a
//!   picture without alt text; a link to a file not in the folder; a file beside the text of a
//!   refused type.
//! - events (model): the end before the start; an unknown time zone; neither a venue nor a
//!   link; an id used twice.
//! - theme (render): a template syntax error; a missing interface string; a language without
//!   interface strings.
//!
//! Not a diagnostic, so not here: a site without an EU fund still shows the emblem with the
//! theme's own statement (SPEC §5), which tests/build.rs checks on the pages.

mod common;

use common::*;

/// The rendered diagnostics of a build of the fixture `name` (its own picture cache, since
/// some of these builds take a story down).
fn diagnostics_of(name: &str) -> String {
    let t = fixture(name);
    let r = build_own_cache(t.path());
    rendered_in(&r, t.path())
}

/// The diagnostics of a build of `name` that fails, which writes nothing.
fn errors_of(name: &str) -> String {
    let t = fixture(name);
    let r = build_own_cache(t.path());
    assert!(!r.ok(), "{name} should fail:\n{}", rendered(&r));
    assert!(
        !t.path().join("public").exists(),
        "{name}: a failed build wrote"
    );
    rendered_in(&r, t.path())
}

/// The diagnostics of a build of `name` that succeeds with warnings only.
fn warnings_of(name: &str) -> String {
    let t = fixture(name);
    let r = build_own_cache(t.path());
    assert!(r.ok(), "{name} should build:\n{}", rendered(&r));
    assert!(r.diagnostics.warnings().count() > 0, "{name}: no warning");
    rendered_in(&r, t.path())
}

#[test]
fn the_starting_fixture_builds_clean() {
    assert_eq!(diagnostics_of("story-ok"), "");
}

// ---------------------------------------------------------------- YAML and the schema

#[test]
fn yaml_syntax_error() {
    insta::assert_snapshot!(errors_of("yaml-syntax-error"));
}

#[test]
fn unknown_key_with_did_you_mean() {
    insta::assert_snapshot!(errors_of("unknown-key"));
}

#[test]
fn missing_required_key() {
    insta::assert_snapshot!(errors_of("missing-required-key"));
}

#[test]
fn missing_required_key_in_site_yaml() {
    insta::assert_snapshot!(errors_of("site-missing-key"));
}

#[test]
fn wrong_kind_of_value() {
    insta::assert_snapshot!(errors_of("wrong-type"));
}

#[test]
fn date_that_does_not_exist() {
    insta::assert_snapshot!(errors_of("bad-date"));
}

#[test]
fn value_not_allowed_with_did_you_mean() {
    insta::assert_snapshot!(errors_of("value-not-allowed"));
}

#[test]
fn key_written_twice() {
    insta::assert_snapshot!(errors_of("duplicate-key"));
}

// ---------------------------------------------------------------- references

#[test]
fn unknown_project() {
    insta::assert_snapshot!(errors_of("unknown-project"));
}

#[test]
fn unknown_region() {
    insta::assert_snapshot!(errors_of("unknown-region"));
}

#[test]
fn unknown_fund() {
    insta::assert_snapshot!(errors_of("unknown-fund"));
}

#[test]
fn unknown_organisation() {
    insta::assert_snapshot!(errors_of("unknown-organisation"));
}

#[test]
fn two_pages_with_the_same_address() {
    insta::assert_snapshot!(errors_of("duplicate-address"));
}

/// A story whose `slug:` is another story's address: shown once, at that `slug:`, though
/// the two pages collide in each language (the English page of the Italian-only story
/// takes its Italian slug).
#[test]
fn a_slug_that_is_another_texts_address() {
    insta::assert_snapshot!(errors_of("duplicate-slug"));
}

// ---------------------------------------------------------------- loading

#[test]
fn translation_in_a_language_the_site_does_not_have() {
    insta::assert_snapshot!(errors_of("unknown-language"));
}

#[test]
fn folder_that_is_not_a_content_section() {
    insta::assert_snapshot!(errors_of("unknown-section"));
}

#[test]
fn empty_file() {
    insta::assert_snapshot!(errors_of("empty-file"));
}

#[test]
fn file_without_front_matter() {
    insta::assert_snapshot!(errors_of("no-front-matter"));
}

#[test]
fn unknown_theme() {
    insta::assert_snapshot!(errors_of("unknown-theme"));
}

#[test]
fn language_listed_twice() {
    insta::assert_snapshot!(errors_of("site-language-twice"));
}

#[test]
fn file_not_utf8() {
    insta::assert_snapshot!(errors_of("not-utf8"));
}

#[test]
fn invisible_control_character() {
    insta::assert_snapshot!(errors_of("control-character"));
}

#[test]
fn front_matter_never_closed() {
    insta::assert_snapshot!(errors_of("front-matter-not-closed"));
}

#[test]
fn markdown_file_not_named_index() {
    insta::assert_snapshot!(errors_of("bundle-file-misnamed"));
}

#[test]
fn text_outside_a_bundle_folder() {
    insta::assert_snapshot!(errors_of("file-outside-bundle"));
}

#[test]
fn data_file_not_yaml() {
    insta::assert_snapshot!(errors_of("data-not-yaml"));
}

#[test]
fn slug_too_long() {
    insta::assert_snapshot!(errors_of("slug-too-long"));
}

#[test]
fn not_a_language_code() {
    insta::assert_snapshot!(errors_of("not-a-language-code"));
}

#[test]
fn base_url_not_http() {
    insta::assert_snapshot!(errors_of("base-url-not-http"));
}

#[test]
fn unknown_privacy_page() {
    insta::assert_snapshot!(errors_of("unknown-privacy-page"));
}

// ---------------------------------------------------------------- privacy (SPEC §6)

#[test]
fn story_about_a_person_without_consent() {
    insta::assert_snapshot!(errors_of("story-without-consent"));
}

#[test]
fn consent_that_does_not_cover_the_website() {
    insta::assert_snapshot!(errors_of("consent-without-web"));
}

#[test]
fn participant_story_without_person() {
    insta::assert_snapshot!(errors_of("participant-without-person"));
}

#[test]
fn minor_shown_by_name() {
    insta::assert_snapshot!(errors_of("minor-named"));
}

#[test]
fn minor_consent_not_from_parent_or_guardian() {
    insta::assert_snapshot!(errors_of("minor-consent-by-self"));
}

#[test]
fn minor_face_shown() {
    insta::assert_snapshot!(errors_of("minor-face"));
}

#[test]
fn name_in_a_web_address() {
    insta::assert_snapshot!(errors_of("name-in-address"));
}

#[test]
fn name_in_a_file_name() {
    insta::assert_snapshot!(errors_of("name-in-file-name"));
}

#[test]
fn consent_expired_takes_the_story_down() {
    insta::assert_snapshot!(warnings_of("consent-expired"));
}

#[test]
fn consent_withdrawn_takes_the_story_down() {
    insta::assert_snapshot!(warnings_of("consent-withdrawn"));
}

#[test]
fn consent_about_to_expire() {
    insta::assert_snapshot!(warnings_of("consent-expiring-soon"));
}

#[test]
fn cover_picture_with_empty_alt_text() {
    insta::assert_snapshot!(errors_of("cover-without-alt"));
}

#[test]
fn cover_picture_not_in_the_folder() {
    insta::assert_snapshot!(errors_of("cover-not-in-folder"));
}

#[test]
fn summary_over_100_words() {
    insta::assert_snapshot!(errors_of("summary-too-long"));
}

// ---------------------------------------------------------------- Markdown and bundles

#[test]
fn raw_html_refused() {
    insta::assert_snapshot!(errors_of("markdown-raw-html"));
}

#[test]
fn heading_attributes_refused() {
    insta::assert_snapshot!(errors_of("markdown-heading-attributes"));
}

#[test]
fn link_to_a_page_the_site_does_not_have() {
    insta::assert_snapshot!(errors_of("markdown-missing-page"));
}

#[test]
fn unsafe_address_scheme() {
    insta::assert_snapshot!(errors_of("markdown-unsafe-scheme"));
}

#[test]
fn picture_from_another_site() {
    insta::assert_snapshot!(errors_of("markdown-picture-elsewhere"));
}

#[test]
fn picture_in_the_text_without_alt_text() {
    insta::assert_snapshot!(errors_of("markdown-image-without-alt"));
}

#[test]
fn link_to_a_file_not_in_the_folder() {
    insta::assert_snapshot!(errors_of("markdown-missing-file"));
}

#[test]
fn file_of_a_refused_type() {
    insta::assert_snapshot!(errors_of("bundle-refused-type"));
}

#[test]
fn link_to_a_story_taken_down() {
    insta::assert_snapshot!(warnings_of("link-to-taken-down-story"));
}

#[test]
fn document_published_with_its_metadata() {
    insta::assert_snapshot!(warnings_of("document-metadata"));
}

#[test]
fn document_shown_as_a_picture() {
    insta::assert_snapshot!(errors_of("document-shown-as-picture"));
}

#[test]
fn cover_that_is_not_a_picture() {
    insta::assert_snapshot!(errors_of("cover-not-a-picture"));
}

#[test]
fn pictures_published_under_the_same_names() {
    insta::assert_snapshot!(errors_of("pictures-same-name"));
}

// ---------------------------------------------------------------- events

#[test]
fn event_ends_before_it_starts() {
    insta::assert_snapshot!(errors_of("event-ends-before-start"));
}

#[test]
fn event_unknown_time_zone() {
    insta::assert_snapshot!(errors_of("event-unknown-timezone"));
}

#[test]
fn event_without_venue_or_link() {
    insta::assert_snapshot!(errors_of("event-no-venue"));
}

#[test]
fn event_id_used_twice() {
    insta::assert_snapshot!(errors_of("event-id-twice"));
}

#[test]
fn event_start_with_time_end_without() {
    insta::assert_snapshot!(errors_of("event-time-and-date-mixed"));
}

#[test]
fn event_at_a_time_the_clocks_skip() {
    insta::assert_snapshot!(errors_of("event-time-skipped-by-dst"));
}

#[test]
fn event_id_that_is_the_calendar_address() {
    insta::assert_snapshot!(errors_of("event-id-is-calendar"));
}

// ---------------------------------------------------------------- theme

#[test]
fn template_syntax_error() {
    insta::assert_snapshot!(errors_of("template-syntax-error"));
}

#[test]
fn missing_interface_string() {
    insta::assert_snapshot!(errors_of("missing-interface-string"));
}

#[test]
fn language_without_interface_strings() {
    insta::assert_snapshot!(errors_of("language-without-strings"));
}
