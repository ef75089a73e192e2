//! The CMS admin (being written).

#[allow(dead_code)] // used by the admin's publishing, being written
pub(crate) mod vendored;

#[cfg(test)]
mod tests {
    use super::vendored::{CMS_FILES, DECAP_VERSION};

    fn file(name: &str) -> &'static [u8] {
        CMS_FILES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, bytes)| *bytes)
            .unwrap_or_else(|| panic!("{name} is not vendored"))
    }

    #[test]
    fn the_vendored_files_are_there_sorted_and_look_like_javascript() {
        assert!(!DECAP_VERSION.is_empty());
        let decap = file("decap-cms.js");
        assert!(
            decap.len() > 1_000_000,
            "decap-cms.js is {} bytes",
            decap.len()
        );
        assert!(
            decap.starts_with(b"/*! For license information") || decap.starts_with(b"!function")
        );
        let yaml = file("js-yaml.min.js");
        assert!(yaml.starts_with(b"!function") && yaml.len() > 10_000);
        assert!(CMS_FILES.iter().any(|(n, _)| n.ends_with(".decap-cms.js")));
        assert!(
            CMS_FILES.windows(2).all(|w| w[0].0 < w[1].0),
            "CMS_FILES is not sorted"
        );
    }
}
