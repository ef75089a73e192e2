//! Temporary: replaced by the generated list of tools/update-cms.sh.
pub(crate) const DECAP_VERSION: &str = "3.16.3";
pub(crate) const CMS_FILES: &[(&str, &[u8])] = &[];
