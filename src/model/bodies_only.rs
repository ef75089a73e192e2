//! The model of a `vetrina serve` rebuild in which only Markdown bodies changed: the site of
//! the last build, with the edited texts put in place of the old ones, instead of a site
//! assembled again from every file (at 10,000 stories, a fifth of a rebuild's time).
//!
//! It is taken only when it must equal what `build` would make: the last build's model
//! reported nothing, everything but the content files is the same (`inputs_print`), the same
//! files are there, and every edited one has the same front matter, so that no entity,
//! reference, consent or date differs. The one step of the model that reads bodies, which
//! files of a bundle are published (`bundle::keep_linked`), runs again. Anything else falls
//! back to the full build, which the serve tests compare against.

use std::sync::Arc;

use super::site::{Doc, Entity};
use super::{Memo, ModelOptions, ParsedDoc, Site, bundle, parse_doc};
use crate::diag::Diagnostics;
use crate::load::Sources;

/// The site of the last build of this process, and the print of what it was built from.
pub(super) struct LastSite {
    pub site: Site,
    pub inputs: blake3::Hash,
}

/// Everything a site is built from but its content files: site.yaml, data files, the files
/// beside the texts, interface strings, the build's options.
pub(super) fn inputs_print(src: &Sources, opts: &ModelOptions) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    let mut text = |name: &str, s: Option<&crate::diag::SourceText>| {
        h.update(name.as_bytes()).update(&[0]);
        if let Some(s) = s {
            h.update(s.path.as_os_str().as_encoded_bytes())
                .update(&[0])
                .update(s.text.as_bytes())
                .update(&[0]);
        }
    };
    text("config", src.config.as_ref());
    text("funds", src.funds.as_ref());
    text("organisations", src.organisations.as_ref());
    for s in &src.events {
        text("events", Some(s));
    }
    for s in &src.indicators {
        text("indicators", Some(s));
    }
    for s in &src.i18n_overrides {
        text("i18n", Some(s));
    }
    h.update(format!("{:?}|{opts:?}", src.assets).as_bytes());
    h.finalize()
}

/// The last build's site with the bodies of the edited files, or `None` when it cannot be
/// known to equal a full build's (the caller then builds the site in full). `memo.docs` is
/// brought up to date with what is read here either way.
pub(super) fn update(
    last: LastSite,
    src: &Sources,
    memo: &mut Memo,
    langs: &[&str],
) -> Option<Site> {
    if memo.docs.len() != src.content.len()
        || !memo
            .langs
            .iter()
            .map(String::as_str)
            .eq(langs.iter().copied())
    {
        return None;
    }
    let mut edited = Vec::new();
    for (i, (cf, (old, ..))) in src.content.iter().zip(&memo.docs).enumerate() {
        if Arc::ptr_eq(cf, old) {
            continue;
        }
        let same_place = (&cf.section, &cf.key, &cf.lang, &cf.src.path, cf.fm_line)
            == (
                &old.section,
                &old.key,
                &old.lang,
                &old.src.path,
                old.fm_line,
            );
        // By their prints: the old file's text may have been let go (`Memo::release_texts`).
        if !same_place || cf.prints().front != old.prints().front {
            return None;
        }
        edited.push(i);
    }
    let mut site = last.site;
    for i in edited {
        let cf = &src.content[i];
        let mut d = Diagnostics::new();
        let (doc, _) = parse_doc(cf, langs, &mut d, None);
        if !d.is_empty() {
            return None;
        }
        let placed = match &doc {
            ParsedDoc::Home(_, doc) => site.home.as_mut().is_some_and(|e| replace(e, doc)),
            ParsedDoc::Project(k, doc) => in_list(&mut site.projects, k, doc),
            ParsedDoc::Story(k, doc) => in_list(&mut site.stories, k, doc),
            ParsedDoc::News(k, doc) => in_list(&mut site.news, k, doc),
            ParsedDoc::Page(k, doc) => in_list(&mut site.pages, k, doc),
            ParsedDoc::Failed => false,
        };
        memo.docs[i] = (cf.clone(), doc, d);
        // A draft left out, or a story taken down: not in the site's lists.
        if !placed {
            return None;
        }
    }
    // Which files of a bundle are published depends on the bodies that link to them: chosen
    // again, from the files found, as `build` does after the consent checks.
    let gone: Vec<&str> = site.taken_down.iter().map(|t| t.key.as_str()).collect();
    site.assets = (src.assets.iter())
        .filter(|a| !(a.section == "stories" && gone.contains(&a.key.as_str())))
        .cloned()
        .collect();
    let mut d = Diagnostics::new();
    let cfg_src = src.config.as_ref()?;
    let documents = bundle::document_types(&site.config, cfg_src, &mut d);
    bundle::keep_linked(&mut site, &documents, &mut d);
    d.is_empty().then_some(site)
}

fn in_list<T>(list: &mut [Entity<T>], key: &str, doc: &Arc<Doc<T>>) -> bool {
    list.iter_mut()
        .find(|e| e.key == key)
        .is_some_and(|e| replace(e, doc))
}

/// Puts `doc` in place of the entity's text in its language, if it has one.
fn replace<T>(entity: &mut Entity<T>, doc: &Arc<Doc<T>>) -> bool {
    match entity.docs.get_mut(&doc.lang) {
        Some(slot) => {
            *slot = doc.clone();
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Asset;
    use crate::model::testing::{STORY, STORY_PATH, TODAY, files, options, sources};
    use crate::model::{build, config};

    /// The sources of the test site with `story` as its story's text, and a picture and a
    /// PDF beside it.
    fn with_story(story: &str) -> Sources {
        let (mut src, d) = sources(&files(&[(STORY_PATH, story)]));
        assert!(d.is_empty());
        for name in ["foto.jpg", "scheda.pdf"] {
            src.assets.push(Asset {
                section: "stories".into(),
                key: "dal-tirocinio-al-lavoro".into(),
                name: name.into(),
                abs: name.into(),
            });
        }
        src
    }

    fn build_with(src: Sources, memo: Option<&mut Memo>) -> Site {
        let mut d = Diagnostics::new();
        let site =
            config(&src, &mut d).and_then(|c| build(src, c, &options(TODAY), &mut d, memo, None));
        assert!(d.is_empty(), "{d:?}");
        site.expect("the test site builds")
    }

    /// The last site kept after a first build of `story` with a memo.
    fn kept_after(story: &str, memo: &mut Memo) -> LastSite {
        let first = build_with(with_story(story), Some(memo));
        memo.keep_site(first);
        memo.last
            .take()
            .expect("a site whose model reported nothing is kept")
    }

    #[test]
    fn a_site_whose_bodies_changed_is_the_site_built_in_full() {
        let mut memo = Memo::default();
        let last = kept_after(STORY, &mut memo);
        assert!(last.site.assets.is_empty(), "no text links to the files");
        // The text now shows the picture beside it: the picture is published.
        let edited = format!("{STORY}\n![Il laboratorio di sartoria](foto.jpg)\n");
        let updated = update(last, &with_story(&edited), &mut memo, &["it"]).expect("a body");
        let full = build_with(with_story(&edited), None);
        // The update compared the files' prints, which are made once and kept: the same
        // prints made on the full build's side, so that the two read alike.
        for e in &full.projects {
            e.docs.values().for_each(|d| {
                d.prints();
            });
        }
        for e in &full.stories {
            e.docs.values().for_each(|d| {
                d.prints();
            });
        }
        for e in &full.pages {
            e.docs.values().for_each(|d| {
                d.prints();
            });
        }
        assert_eq!(format!("{updated:?}"), format!("{full:?}"));
        assert_eq!(updated.assets.len(), 1);
    }

    #[test]
    fn a_changed_front_matter_or_a_text_not_on_the_site_is_not_taken() {
        let mut memo = Memo::default();
        let last = kept_after(STORY, &mut memo);
        let retitled = STORY.replacen("Dal tirocinio al lavoro", "Dal tirocinio al contratto", 1);
        assert_ne!(retitled, STORY);
        assert!(update(last, &with_story(&retitled), &mut memo, &["it"]).is_none());

        // A body whose model reports something (a document published with its metadata):
        // the full build reports it.
        let last = kept_after(STORY, &mut memo);
        let linked = format!("{STORY}\nLa [scheda del percorso](scheda.pdf).\n");
        assert!(update(last, &with_story(&linked), &mut memo, &["it"]).is_none());

        // A draft is not among the site's stories: its text is not put anywhere.
        let draft = STORY.replacen("title:", "draft: true\ntitle:", 1);
        let last = kept_after(&draft, &mut memo);
        assert!(last.site.stories.is_empty());
        let edited = format!("{draft}\nUna frase nuova.\n");
        assert!(update(last, &with_story(&edited), &mut memo, &["it"]).is_none());
    }

    #[test]
    fn what_the_site_is_built_from_besides_its_texts_is_in_the_print() {
        let opts = options(TODAY);
        let print = |src: &Sources, o: &ModelOptions| inputs_print(src, o);
        let base = with_story(STORY);
        let mut other_assets = with_story(STORY);
        other_assets.assets.pop();
        let mut later = opts.clone();
        later.today = jiff::civil::date(2026, 6, 1);
        let (other_config, _) = sources(&files(&[
            (STORY_PATH, STORY),
            (
                "site.yaml",
                &format!("{}stories_per_page: 3\n", crate::model::testing::SITE_YAML),
            ),
        ]));
        assert_eq!(print(&base, &opts), print(&with_story(STORY), &opts));
        assert_ne!(print(&base, &opts), print(&other_assets, &opts));
        assert_ne!(print(&base, &opts), print(&base, &later));
        assert_ne!(print(&base, &opts), print(&other_config, &opts));
        // The texts are not: an edited body keeps the print.
        assert_eq!(
            print(&base, &opts),
            print(&with_story(&format!("{STORY}\nAltro.\n")), &opts)
        );
    }
}
