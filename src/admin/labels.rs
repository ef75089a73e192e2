//! What communications staff read in the CMS forms: the Italian label and hint of every key of
//! the front matter and data files, and the Italian names of every choice. The admin's
//! interface is in Italian (`locale: it`).
//!
//! The forms themselves come from the model's JSON Schema (`super::fields`); this table only
//! names and explains. A key of the model missing here still appears in the form, under its
//! own name, and a test (`every_key_of_the_model_has_an_italian_label`) asks for its label.
//! The order of a type's rows is the order of the fields in its form.

/// A key of a type of the model: its label and, where it helps, a hint shown under the field.
pub(crate) struct Label {
    pub ty: &'static str,
    pub key: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
}

const fn l(ty: &'static str, key: &'static str, label: &'static str) -> Label {
    Label {
        ty,
        key,
        label,
        hint: None,
    }
}

const fn h(ty: &'static str, key: &'static str, label: &'static str, hint: &'static str) -> Label {
    Label {
        ty,
        key,
        label,
        hint: Some(hint),
    }
}

/// Every key, by the name of its type in the model (`StoryFm`, `ConsentFm`, …).
pub(crate) static LABELS: &[Label] = &[
    // ------------------------------------------------------------------ stories
    h(
        "StoryFm",
        "title",
        "Titolo",
        "Il titolo della storia. Non scrivere il nome vero della persona.",
    ),
    h(
        "StoryFm",
        "date",
        "Data",
        "Il giorno in cui la storia è pubblicata (o si è svolta).",
    ),
    h(
        "StoryFm",
        "kind",
        "Chi racconta",
        "Di chi è la storia: una persona partecipante, chi l'ha accolta, un operatore, un partner.",
    ),
    h(
        "StoryFm",
        "project",
        "Progetto",
        "Il progetto a cui la storia appartiene.",
    ),
    h(
        "StoryFm",
        "region",
        "Regione",
        "La regione in cui si è svolto il percorso.",
    ),
    h(
        "StoryFm",
        "summary",
        "Riassunto",
        "Una o due frasi: si vedono negli elenchi, nei feed e nei motori di ricerca.",
    ),
    h(
        "StoryFm",
        "image",
        "Immagine di copertina",
        "Facoltativa. Se la metti, scrivi il testo alternativo: descrive l'immagine a chi non la vede.",
    ),
    h(
        "StoryFm",
        "person",
        "Persona raccontata",
        "Compila se la storia parla di una persona: allora serve anche il consenso.",
    ),
    h(
        "StoryFm",
        "consent",
        "Consenso",
        "Obbligatorio se la storia parla di una persona. Qui si registrano solo gli estremi del consenso firmato: il documento firmato non va mai caricato sul sito.",
    ),
    h(
        "StoryFm",
        "example",
        "Esempio illustrativo",
        "Attiva se la storia è inventata per mostrare un percorso: la pagina lo dirà ai lettori.",
    ),
    h(
        "StoryFm",
        "themes",
        "Temi",
        "Parole chiave, per esempio: tirocinio, orientamento.",
    ),
    h(
        "StoryFm",
        "slug",
        "Indirizzo della pagina",
        "Solo lettere minuscole, cifre e trattini. Mai il nome di una persona.",
    ),
    h(
        "StoryFm",
        "updated",
        "Aggiornata il",
        "Facoltativo: il giorno dell'ultima modifica importante.",
    ),
    h(
        "StoryFm",
        "draft",
        "Bozza",
        "Una bozza non viene pubblicata.",
    ),
    h(
        "ImageFm",
        "src",
        "File dell'immagine",
        "Obbligatorio se compili il gruppo. JPEG, PNG o WebP. Le informazioni nascoste del file (posizione GPS, autore) vengono tolte alla pubblicazione.",
    ),
    h(
        "ImageFm",
        "alt",
        "Testo alternativo",
        "Obbligatorio con l'immagine: descrivi ciò che si vede, per chi non vede l'immagine. Non scrivere il nome della persona.",
    ),
    h(
        "ImageFm",
        "faces",
        "Volti",
        "Si vedono volti? «Nessuno», «con consenso» o «sfocati». Per i minori i volti non possono essere mostrati.",
    ),
    h(
        "ImageFm",
        "caption",
        "Didascalia",
        "Facoltativa: il testo sotto l'immagine.",
    ),
    h(
        "PersonFm",
        "display_name",
        "Nome mostrato",
        "Il nome che la pagina può mostrare: di solito un nome di fantasia.",
    ),
    h(
        "PersonFm",
        "identifiability",
        "Riconoscibilità",
        "Quanto la persona è riconoscibile. Per i minori solo «nome di fantasia» o «anonima».",
    ),
    h(
        "PersonFm",
        "minor",
        "Minorenne",
        "Attiva se la persona era minorenne: il consenso deve essere dato da un genitore o da chi ne ha la tutela.",
    ),
    h(
        "ConsentFm",
        "reference",
        "Riferimento del consenso",
        "Il codice con cui il consenso firmato è archiviato (per esempio PUOI-LOM-2021-014). Il documento firmato resta in archivio: non caricarlo qui.",
    ),
    h(
        "ConsentFm",
        "date",
        "Data del consenso",
        "Il giorno in cui il consenso è stato firmato.",
    ),
    h(
        "ConsentFm",
        "given_by",
        "Consenso dato da",
        "La persona stessa, un genitore o chi ne ha la tutela.",
    ),
    h(
        "ConsentFm",
        "scope",
        "Usi consentiti",
        "Dove la storia può essere pubblicata. Per il sito serve «sito web».",
    ),
    h(
        "ConsentFm",
        "expires",
        "Scadenza del consenso",
        "Facoltativa. Dopo questa data la storia viene tolta dal sito alla prima pubblicazione.",
    ),
    h(
        "ConsentFm",
        "withdrawn",
        "Consenso revocato",
        "Attiva se la persona ha revocato il consenso: la storia viene tolta dal sito.",
    ),
    h(
        "ConsentFm",
        "withdrawn_on",
        "Revocato il",
        "Il giorno in cui la revoca è stata registrata.",
    ),
    h(
        "ConsentFm",
        "withdrawal_reason",
        "Motivo della revoca",
        "Per il registro dei consensi: non viene mai pubblicato.",
    ),
    // ------------------------------------------------------------------ projects
    h(
        "ProjectFm",
        "title",
        "Nome del progetto",
        "Il nome completo del progetto.",
    ),
    h(
        "ProjectFm",
        "acronym",
        "Sigla",
        "Facoltativa, per esempio PUOI.",
    ),
    h(
        "ProjectFm",
        "summary",
        "Riassunto",
        "Una o due frasi: si vedono negli elenchi e nei motori di ricerca.",
    ),
    h("ProjectFm", "status", "Stato", "A che punto è il progetto."),
    h(
        "ProjectFm",
        "period",
        "Periodo",
        "Solo le date note: lascia vuoto ciò che non si sa.",
    ),
    h(
        "ProjectFm",
        "funds",
        "Fondi",
        "I fondi che finanziano il progetto.",
    ),
    h(
        "ProjectFm",
        "codes",
        "Codici",
        "Codice del progetto e CUP, se noti.",
    ),
    h(
        "ProjectFm",
        "lead",
        "Capofila",
        "L'organizzazione capofila.",
    ),
    h(
        "ProjectFm",
        "partners",
        "Partner",
        "Le altre organizzazioni e il loro ruolo.",
    ),
    h(
        "ProjectFm",
        "regions",
        "Regioni",
        "Le regioni in cui il progetto opera; «Tutte» per un progetto nazionale.",
    ),
    h(
        "ProjectFm",
        "target_groups",
        "Destinatari",
        "Parole chiave, per esempio: titolari di protezione internazionale.",
    ),
    h(
        "ProjectFm",
        "themes",
        "Temi",
        "Parole chiave, per esempio: tirocinio, orientamento.",
    ),
    h(
        "ProjectFm",
        "unit_cost",
        "Costo unitario",
        "Facoltativo: importo per persona, se pubblicato.",
    ),
    h(
        "ProjectFm",
        "website",
        "Sito web",
        "Indirizzo completo, che inizia con https://",
    ),
    h(
        "ProjectFm",
        "updated",
        "Aggiornata il",
        "Il giorno dell'ultimo aggiornamento della scheda.",
    ),
    h(
        "ProjectFm",
        "verified",
        "Verificata il",
        "Il giorno in cui i dati sono stati controllati sulle fonti.",
    ),
    h(
        "ProjectFm",
        "slug",
        "Indirizzo della pagina",
        "Solo lettere minuscole, cifre e trattini.",
    ),
    h(
        "ProjectFm",
        "draft",
        "Bozza",
        "Una bozza non viene pubblicata.",
    ),
    l("Period", "start", "Inizio"),
    l("Period", "end", "Fine"),
    h(
        "Codes",
        "prog",
        "Codice del progetto",
        "Per esempio PROG-2443.",
    ),
    h("Codes", "cup", "CUP", "Il Codice Unico di Progetto."),
    l("Partner", "org", "Organizzazione"),
    l("Partner", "role", "Ruolo"),
    l("UnitCost", "amount", "Importo"),
    h("UnitCost", "currency", "Valuta", "Per esempio EUR."),
    h(
        "UnitCost",
        "label",
        "Che cosa copre",
        "Per esempio: dote individuale.",
    ),
    // ------------------------------------------------------------------ news and pages
    l("NewsFm", "title", "Titolo"),
    h(
        "NewsFm",
        "date",
        "Data",
        "Il giorno della notizia (AAAA-MM-GG), o il solo mese (AAAA-MM) se il giorno non è noto.",
    ),
    h(
        "NewsFm",
        "summary",
        "Riassunto",
        "Una o due frasi: si vedono negli elenchi, nei feed e nei motori di ricerca.",
    ),
    h(
        "NewsFm",
        "regions",
        "Regioni",
        "Facoltativo: le regioni di cui parla la notizia.",
    ),
    h(
        "NewsFm",
        "projects",
        "Progetti",
        "Facoltativo: i progetti di cui parla la notizia.",
    ),
    h(
        "NewsFm",
        "image",
        "Immagine di copertina",
        "Facoltativa. Se la metti, scrivi il testo alternativo.",
    ),
    h(
        "NewsFm",
        "slug",
        "Indirizzo della pagina",
        "Solo lettere minuscole, cifre e trattini.",
    ),
    l("NewsFm", "updated", "Aggiornata il"),
    h(
        "NewsFm",
        "draft",
        "Bozza",
        "Una bozza non viene pubblicata.",
    ),
    l("PageFm", "title", "Titolo"),
    h(
        "PageFm",
        "summary",
        "Riassunto",
        "Facoltativo: la descrizione della pagina per i motori di ricerca.",
    ),
    h(
        "PageFm",
        "slug",
        "Indirizzo della pagina",
        "Solo lettere minuscole, cifre e trattini.",
    ),
    l("PageFm", "updated", "Aggiornata il"),
    h(
        "PageFm",
        "draft",
        "Bozza",
        "Una bozza non viene pubblicata.",
    ),
    // ------------------------------------------------------------------ events
    h(
        "EventFile",
        "id",
        "Codice dell'evento",
        "Unico nel sito: lettere minuscole, cifre e trattini (per esempio focus-group-lombardia-2021). Non cambiarlo dopo la pubblicazione.",
    ),
    l("EventFile", "kind", "Tipo"),
    l("EventFile", "title", "Titolo"),
    l("EventFile", "summary", "Riassunto"),
    h(
        "EventFile",
        "start",
        "Inizio",
        "Giorno e ora di inizio (ora locale).",
    ),
    h(
        "EventFile",
        "end",
        "Fine",
        "Facoltativa: giorno e ora di fine.",
    ),
    h(
        "EventFile",
        "timezone",
        "Fuso orario",
        "Di solito Europe/Rome.",
    ),
    h(
        "EventFile",
        "status",
        "Stato",
        "Se l'evento è annullato, rinviato o spostato online, dillo qui: i calendari si aggiornano.",
    ),
    l("EventFile", "regions", "Regioni"),
    l("EventFile", "projects", "Progetti"),
    h(
        "EventFile",
        "venue",
        "Luogo",
        "Facoltativo, per un evento in presenza.",
    ),
    h(
        "EventFile",
        "online",
        "Online",
        "Facoltativo, per un evento online.",
    ),
    l("EventFile", "organiser", "Organizzatore"),
    l("EventFile", "programme", "Programma"),
    h(
        "EventFile",
        "registration",
        "Iscrizione",
        "Facoltativo: l'indirizzo della pagina di iscrizione (https://…) o un indirizzo e-mail.",
    ),
    h(
        "EventFile",
        "updated",
        "Aggiornato il",
        "Il giorno dell'ultima modifica dei dettagli.",
    ),
    h(
        "EventFile",
        "sequence",
        "Numero di modifica",
        "Aumentalo di uno ogni volta che cambiano data, ora o luogo di un evento già annunciato: i calendari sostituiscono la loro copia.",
    ),
    l("Venue", "name", "Nome del luogo"),
    l("Venue", "address", "Indirizzo"),
    l("Venue", "city", "Città"),
    h(
        "Online",
        "platform",
        "Piattaforma",
        "Per esempio Microsoft Teams.",
    ),
    h(
        "Online",
        "url",
        "Collegamento",
        "Facoltativo: l'indirizzo della riunione (https://…).",
    ),
    h("Session", "time", "Ora", "Per esempio 14:30."),
    l("Session", "title", "Titolo"),
    l("Session", "speakers", "Relatori"),
    h(
        "Speaker",
        "role",
        "Ruolo",
        "Il ruolo, non il nome della persona.",
    ),
    l("Speaker", "org", "Organizzazione"),
    // ------------------------------------------------------------------ data
    h(
        "OrgFile",
        "name",
        "Nome",
        "Il nome completo dell'organizzazione.",
    ),
    l("OrgFile", "short", "Nome breve"),
    l("OrgFile", "kind", "Tipo"),
    h(
        "OrgFile",
        "website",
        "Sito web",
        "Indirizzo completo, che inizia con https://",
    ),
    l("OrgFile", "note", "Nota"),
    l("FundFile", "name", "Nome"),
    l("FundFile", "short", "Nome breve"),
    h(
        "FundFile",
        "statement",
        "Dicitura del finanziamento",
        "Per esempio «Cofinanziato dall'Unione europea»: si vede accanto all'emblema dell'UE.",
    ),
    h(
        "FundFile",
        "eu",
        "Fondo dell'Unione europea",
        "Attiva per un fondo dell'UE: le pagine mostrano l'emblema.",
    ),
    h(
        "FundFile",
        "authorities",
        "Autorità",
        "Le autorità del fondo e il loro ruolo.",
    ),
];

/// The Italian name of each choice, by enum type and value.
pub(crate) static CHOICES: &[(&str, &str, &str)] = &[
    ("StoryKind", "participant", "Persona partecipante"),
    ("StoryKind", "host", "Chi ha accolto (azienda, ente)"),
    ("StoryKind", "operator", "Operatore o operatrice"),
    ("StoryKind", "partner", "Partner del progetto"),
    ("Faces", "none", "Nessun volto"),
    ("Faces", "consented", "Volti con consenso"),
    ("Faces", "blurred", "Volti sfocati"),
    ("Identifiability", "named", "Nome e cognome"),
    ("Identifiability", "first-name", "Solo il nome"),
    ("Identifiability", "pseudonym", "Nome di fantasia"),
    ("Identifiability", "anonymous", "Anonima"),
    ("GivenBy", "self", "La persona stessa"),
    ("GivenBy", "parent", "Un genitore"),
    ("GivenBy", "guardian", "Tutore o tutrice"),
    ("Scope", "web", "Sito web"),
    ("Scope", "social", "Social network"),
    ("Scope", "print", "Stampa"),
    ("ProjectStatus", "planned", "Previsto"),
    ("ProjectStatus", "ongoing", "In corso"),
    ("ProjectStatus", "concluded", "Concluso"),
    (
        "ProjectStatus",
        "mainstreamed",
        "Diventato servizio ordinario",
    ),
    ("Role", "lead", "Capofila"),
    ("Role", "partner", "Partner"),
    ("Role", "adhering", "Aderente"),
    ("Role", "promoter", "Promotore"),
    ("Role", "implementer", "Attuatore"),
    ("Role", "delegated-authority", "Autorità delegata"),
    ("Role", "responsible-authority", "Autorità responsabile"),
    ("Role", "managing-authority", "Autorità di gestione"),
    ("OrgKind", "public-body", "Ente pubblico"),
    ("OrgKind", "company", "Impresa"),
    ("OrgKind", "cooperative", "Cooperativa"),
    ("OrgKind", "association", "Associazione"),
    ("OrgKind", "school", "Scuola"),
    ("OrgKind", "consortium", "Consorzio"),
    ("OrgKind", "foundation", "Fondazione"),
    ("EventKind", "focus-group", "Focus group"),
    ("EventKind", "seminar", "Seminario"),
    ("EventKind", "webinar", "Webinar"),
    ("EventKind", "conference", "Convegno"),
    ("EventKind", "workshop", "Laboratorio"),
    ("EventKind", "meeting", "Incontro"),
    ("EventStatus", "scheduled", "In programma"),
    ("EventStatus", "cancelled", "Annullato"),
    ("EventStatus", "postponed", "Rinviato"),
    ("EventStatus", "moved-online", "Spostato online"),
];

/// The label of `key` of type `ty`: its Italian name, or the key itself.
pub(crate) fn label(ty: &str, key: &str) -> Option<&'static Label> {
    LABELS.iter().find(|l| l.ty == ty && l.key == key)
}

/// Where `key` comes in the form of `ty`: its row in the table (unknown keys last).
pub(crate) fn rank(ty: &str, key: &str) -> usize {
    LABELS
        .iter()
        .filter(|l| l.ty == ty)
        .position(|l| l.key == key)
        .unwrap_or(usize::MAX)
}

/// The Italian name of choice `value` of enum `ty`, or the value itself.
pub(crate) fn choice(ty: &str, value: &str) -> String {
    CHOICES
        .iter()
        .find(|(t, v, _)| *t == ty && *v == value)
        .map_or_else(|| value.to_string(), |(_, _, name)| name.to_string())
}
