#!/usr/bin/env python3
"""Generate a benchmark corpus for Vetrina and the equivalent site for Hugo.

    gen_corpus.py --n N --seed S --out DIR [--hugo-out DIR-hugo] [--repo ROOT]
                  [--hugo-version 0.111.3] [--words MIN-MAX] [--pictures]

DIR gets a Vetrina site: the demo site of the repository (site.yaml, content/, data/,
themes/) plus N generated stories, each in it/en/fr/ar
(content/stories/<slug>/index.<lang>.md), 400-700 words with headings, lists, links and
emphasis, and front matter shaped exactly like the demo stories (no pictures).

--words MIN-MAX sets the body's length in words (400-700 by default). --pictures gives every
story a picture (`cover.jpg` beside its texts, in its front matter with an alt text): one of
the demo site's six story covers (1200 x 800 JPEG), each copy made a file of its own by a
JPEG comment naming its story, so that both tools decode, resize and encode every one (as
they would a picture per story) and no cache of either takes one for another. The Hugo
site then holds each story as a page bundle with the same picture, resized by its
templates to the widths Vetrina makes (480, 960 and the picture's own 1200) in JPEG and WebP.

DIR-hugo (or --hugo-out) gets the same N stories as a Hugo site: content/<lang>/stories/
<slug>.md, hugo.toml with the four languages (Italian at the root), taxonomies region and
project, pagination by 10, one feed per language (plus per term, as Vetrina has per region
and per project), a sitemap, and minimal templates written here.

Python 3 standard library only; the output depends only on N and the seed.
"""

import argparse
import os
import time
import random
import re
import shutil
import subprocess
import sys
import unicodedata
from datetime import date, timedelta

LANGS = ["it", "en", "fr", "ar"]
PROJECTS = ["puoi", "prima-il-lavoro", "faro", "parti"]
PROJECT_NAMES = {"puoi": "PUOI", "prima-il-lavoro": "PRIMA il Lavoro", "faro": "FARO", "parti": "PARTI"}

# key: (it, en, fr, ar) — the names Vetrina itself uses (src/model/regions.rs), short forms.
REGIONS = {
    "piemonte": ("Piemonte", "Piedmont", "Piémont", "بيمونتي"),
    "valle-d-aosta": ("Valle d'Aosta", "Aosta Valley", "Vallée d'Aoste", "وادي أوستا"),
    "lombardia": ("Lombardia", "Lombardy", "Lombardie", "لومبارديا"),
    "trentino-alto-adige": ("Trentino-Alto Adige", "Trentino-South Tyrol", "Trentin-Haut-Adige", "ترينتينو ألتو أديجي"),
    "veneto": ("Veneto", "Veneto", "Vénétie", "فينيتو"),
    "friuli-venezia-giulia": ("Friuli Venezia Giulia", "Friuli Venezia Giulia", "Frioul-Vénétie julienne", "فريولي فينيتسيا جوليا"),
    "liguria": ("Liguria", "Liguria", "Ligurie", "ليغوريا"),
    "emilia-romagna": ("Emilia-Romagna", "Emilia-Romagna", "Émilie-Romagne", "إميليا رومانيا"),
    "toscana": ("Toscana", "Tuscany", "Toscane", "توسكانا"),
    "umbria": ("Umbria", "Umbria", "Ombrie", "أومبريا"),
    "marche": ("Marche", "Marche", "Marches", "ماركي"),
    "lazio": ("Lazio", "Lazio", "Latium", "لاتسيو"),
    "abruzzo": ("Abruzzo", "Abruzzo", "Abruzzes", "أبروتسو"),
    "molise": ("Molise", "Molise", "Molise", "موليزي"),
    "campania": ("Campania", "Campania", "Campanie", "كامبانيا"),
    "puglia": ("Puglia", "Apulia", "Pouilles", "بوليا"),
    "basilicata": ("Basilicata", "Basilicata", "Basilicate", "بازيليكاتا"),
    "calabria": ("Calabria", "Calabria", "Calabre", "كالابريا"),
    "sicilia": ("Sicilia", "Sicily", "Sicile", "صقلية"),
    "sardegna": ("Sardegna", "Sardinia", "Sardaigne", "سردينيا"),
}
REGION_KEYS = list(REGIONS)
REGION_CODES = {k: k.replace("-", "")[:3].upper() for k in REGIONS}

THEMES = [
    "orientation", "skills-assessment", "internship", "skills-certification",
    "post-path-support", "autonomy", "job-search", "housing", "intercultural-mediation",
    "employment-services", "operator-training", "italian-language", "company-scouting",
    "tutoring",
]

# Pseudonyms: made-up first names. None of them is an Italian, English or French word of
# three letters or more that could appear in a slug.
NAMES = [
    "Amadou", "Moussa", "Ousmane", "Amina", "Fatou", "Ibrahima", "Mariam", "Kofi", "Aisha",
    "Yusuf", "Samira", "Tariq", "Binta", "Kwame", "Nadia", "Omar", "Zainab", "Idrissa",
    "Halima", "Bakary", "Leyla", "Ravi", "Anjali", "Mehdi", "Soraya", "Dawit", "Selam",
    "Mamadou", "Awa", "Khadija", "Bilal", "Rania", "Emeka", "Chidi", "Nasrin", "Arash",
    "Lamin", "Djeneba", "Sekou", "Yasmin",
]
ANON = {"it": "Un partecipante", "en": "A participant", "fr": "Un participant", "ar": "مشارك"}

# ---------------------------------------------------------------------------------------
# Text pools. A sentence is subject + verb + object + complement; headings, list items,
# link texts and summaries come from their own pools. Same index across languages where it
# matters (titles, summaries), so that the translations say the same thing.

TITLE_PATTERNS = [
    ("Dal tirocinio al contratto in {r}", "From internship to contract in {r}", "Du stage au contrat en {r}", "من التدريب إلى العقد في {r}"),
    ("Un nuovo mestiere in {r}", "A new trade in {r}", "Un nouveau métier en {r}", "مهنة جديدة في {r}"),
    ("Competenze riconosciute in {r}", "Skills recognised in {r}", "Des compétences reconnues en {r}", "مهارات معترف بها في {r}"),
    ("Una bottega che accoglie in {r}", "A workshop that welcomes in {r}", "Un atelier qui accueille en {r}", "ورشة ترحب بالقادمين في {r}"),
    ("Dall'accoglienza all'autonomia in {r}", "From reception to independence in {r}", "De l'accueil à l'autonomie en {r}", "من الاستقبال إلى الاستقلال في {r}"),
    ("Imparare l'italiano lavorando in {r}", "Learning Italian at work in {r}", "Apprendre l'italien en travaillant en {r}", "تعلم الإيطالية أثناء العمل في {r}"),
    ("Un orto, una cooperativa, un lavoro in {r}", "A garden, a cooperative, a job in {r}", "Un potager, une coopérative, un emploi en {r}", "حديقة وتعاونية ووظيفة في {r}"),
    ("Il centro per l'impiego che cambia in {r}", "A job centre that changes in {r}", "Un centre pour l'emploi qui change en {r}", "مركز توظيف يتغير في {r}"),
    ("Sei mesi in officina in {r}", "Six months in a workshop in {r}", "Six mois en atelier en {r}", "ستة أشهر في ورشة في {r}"),
    ("Una casa e un contratto in {r}", "A home and a contract in {r}", "Un logement et un contrat en {r}", "بيت وعقد عمل في {r}"),
    ("Il tutor che fa la differenza in {r}", "The tutor who makes the difference in {r}", "Le tuteur qui fait la différence en {r}", "المرشد الذي يصنع الفرق في {r}"),
    ("Dalla scuola serale al magazzino in {r}", "From evening school to the warehouse in {r}", "Des cours du soir à l'entrepôt en {r}", "من المدرسة المسائية إلى المستودع في {r}"),
]

SUMMARY_PATTERNS = [
    ("Un esempio di percorso {p} in {r}: orientamento, bilancio di competenze e un tirocinio in azienda, fino a una proposta di lavoro.",
     "An example of a {p} path in {r}: guidance, a skills assessment and an internship in a company, ending with a job offer.",
     "Un exemple de parcours {p} en {r} : orientation, bilan de compétences et stage en entreprise, jusqu'à une offre d'emploi.",
     "مثال على مسار {p} في {r}: توجيه وتقييم للمهارات وتدريب في شركة، وصولاً إلى عرض عمل."),
    ("Come un'impresa della regione {r} ha accolto un tirocinante del progetto {p}, e che cosa ha imparato a sua volta.",
     "How a company in {r} hosted a trainee from the {p} project, and what it learned in turn.",
     "Comment une entreprise de la région {r} a accueilli un stagiaire du projet {p}, et ce qu'elle a appris à son tour.",
     "كيف استقبلت شركة في {r} متدرباً من مشروع {p}، وما الذي تعلمته بدورها."),
    ("Lingua, competenze e servizi per l'impiego: un percorso {p} in {r} raccontato passo per passo.",
     "Language, skills and employment services: a {p} path in {r} told step by step.",
     "Langue, compétences et services pour l'emploi : un parcours {p} en {r} raconté pas à pas.",
     "اللغة والمهارات وخدمات التوظيف: مسار {p} في {r} خطوة بخطوة."),
    ("Dopo l'accoglienza, la ricerca di una casa e di un lavoro stabile con il sostegno del progetto {p} in {r}.",
     "After reception, the search for a home and a stable job with the support of the {p} project in {r}.",
     "Après l'accueil, la recherche d'un logement et d'un emploi stable avec le soutien du projet {p} en {r}.",
     "بعد الاستقبال، البحث عن سكن وعمل مستقر بدعم من مشروع {p} في {r}."),
]

TEXT = {
    "it": {
        "subj": ["L'operatore dell'ente promotore", "Il tutor aziendale", "La mediatrice culturale", "Il partecipante", "La responsabile del servizio", "L'impresa ospitante", "Il centro per l'impiego", "La cooperativa", "Il gruppo di lavoro", "L'insegnante di italiano", "La rete dei partner", "Il consulente per il lavoro", "La famiglia che ospita", "Il responsabile del personale", "Lo sportello territoriale"],
        "verb": ["ha preparato", "ha seguito con attenzione", "ha organizzato", "ha discusso", "ha riconosciuto", "ha rafforzato", "ha messo in fila", "ha costruito", "ha verificato", "ha condiviso", "ha accompagnato", "ha raccontato", "ha migliorato", "ha ripensato", "ha documentato"],
        "obj": ["il bilancio di competenze", "il piano del tirocinio", "un calendario di incontri", "le prime settimane di lavoro", "la dote individuale", "un percorso di formazione", "le regole della sicurezza", "un curriculum più chiaro", "il colloquio di selezione", "l'attestazione finale", "i materiali informativi", "le esperienze precedenti", "un corso di lingua", "la ricerca di una casa", "i contatti con le aziende"],
        "compl": ["con pazienza", "nei mesi successivi", "insieme ai colleghi", "senza fretta", "a ogni passaggio", "con l'aiuto di un interprete", "durante l'estate", "prima della firma del contratto", "nel rispetto dei tempi di ciascuno", "in modo semplice e concreto", "fino alla fine del percorso", "con risultati incoraggianti"],
        "head": ["Il punto di partenza", "Orientamento e bilancio di competenze", "I primi mesi", "Il tirocinio", "Dopo il tirocinio", "Che cosa insegna questo esempio", "Il ruolo del tutor", "La lingua sul lavoro", "Una rete di servizi", "Le difficoltà", "I risultati", "Uno sguardo avanti"],
        "item": ["un colloquio di orientamento", "tre mesi di corso di italiano", "la visita in azienda", "un incontro con il tutor ogni settimana", "la certificazione delle competenze", "il sostegno per la casa", "un corso sulla sicurezza", "la ricerca attiva del lavoro", "un contratto a tempo determinato", "l'iscrizione al centro per l'impiego"],
        "link": ["la scheda del progetto", "il rapporto finale", "la guida per le aziende", "il sito del partner", "le domande frequenti"],
        "intro": "*Questa è una storia di esempio, scritta per mostrare come si svolge un percorso: non descrive una persona né un'azienda reale.*",
        "see": "Per saperne di più, si può leggere",
        "and": "oppure",
    },
    "en": {
        "subj": ["The promoting body's adviser", "The company tutor", "The cultural mediator", "The participant", "The head of the service", "The host company", "The job centre", "The cooperative", "The working group", "The Italian teacher", "The partner network", "The employment adviser", "The host family", "The personnel manager", "The local help desk"],
        "verb": ["prepared", "followed closely", "organised", "discussed", "recognised", "strengthened", "listed", "built", "checked", "shared", "supported", "described", "improved", "rethought", "documented"],
        "obj": ["the skills assessment", "the internship plan", "a schedule of meetings", "the first weeks at work", "the individual grant", "a training path", "the safety rules", "a clearer CV", "the selection interview", "the final certificate", "the information leaflets", "previous experience", "a language course", "the search for a home", "the contacts with companies"],
        "compl": ["patiently", "in the following months", "together with colleagues", "without haste", "at every step", "with the help of an interpreter", "during the summer", "before the contract was signed", "respecting everyone's pace", "in a simple and practical way", "until the end of the path", "with encouraging results"],
        "head": ["The starting point", "Guidance and skills assessment", "The first months", "The internship", "After the internship", "What this example shows", "The tutor's role", "Language at work", "A network of services", "The difficulties", "The results", "Looking ahead"],
        "item": ["a guidance interview", "three months of Italian lessons", "a visit to the company", "a weekly meeting with the tutor", "skills certification", "support with housing", "a safety course", "an active job search", "a fixed-term contract", "registration at the job centre"],
        "link": ["the project sheet", "the final report", "the guide for companies", "the partner's website", "the frequently asked questions"],
        "intro": "*This is an example story, written to show how a path works: it does not describe a real person or a real company.*",
        "see": "To find out more, read",
        "and": "or",
    },
    "fr": {
        "subj": ["Le conseiller de l'organisme porteur", "Le tuteur en entreprise", "La médiatrice culturelle", "Le participant", "La responsable du service", "L'entreprise d'accueil", "Le centre pour l'emploi", "La coopérative", "Le groupe de travail", "L'enseignante d'italien", "Le réseau des partenaires", "Le conseiller en emploi", "La famille d'accueil", "Le responsable du personnel", "Le guichet local"],
        "verb": ["a préparé", "a suivi de près", "a organisé", "a discuté", "a reconnu", "a renforcé", "a mis en ordre", "a construit", "a vérifié", "a partagé", "a accompagné", "a raconté", "a amélioré", "a repensé", "a documenté"],
        "obj": ["le bilan de compétences", "le plan de stage", "un calendrier de rencontres", "les premières semaines de travail", "la dotation individuelle", "un parcours de formation", "les règles de sécurité", "un CV plus clair", "l'entretien de sélection", "l'attestation finale", "les documents d'information", "les expériences passées", "un cours de langue", "la recherche d'un logement", "les contacts avec les entreprises"],
        "compl": ["avec patience", "dans les mois suivants", "avec les collègues", "sans hâte", "à chaque étape", "avec l'aide d'un interprète", "pendant l'été", "avant la signature du contrat", "en respectant le rythme de chacun", "de façon simple et concrète", "jusqu'à la fin du parcours", "avec des résultats encourageants"],
        "head": ["Le point de départ", "Orientation et bilan de compétences", "Les premiers mois", "Le stage", "Après le stage", "Ce que montre cet exemple", "Le rôle du tuteur", "La langue au travail", "Un réseau de services", "Les difficultés", "Les résultats", "Regarder devant"],
        "item": ["un entretien d'orientation", "trois mois de cours d'italien", "la visite de l'entreprise", "une rencontre avec le tuteur chaque semaine", "la certification des compétences", "l'aide au logement", "un cours sur la sécurité", "la recherche active d'emploi", "un contrat à durée déterminée", "l'inscription au centre pour l'emploi"],
        "link": ["la fiche du projet", "le rapport final", "le guide pour les entreprises", "le site du partenaire", "les questions fréquentes"],
        "intro": "*Ceci est un récit d'exemple, écrit pour montrer comment se déroule un parcours : il ne décrit ni une personne ni une entreprise réelles.*",
        "see": "Pour en savoir plus, lire",
        "and": "ou",
    },
    "ar": {
        "subj": ["مستشار الجهة المنفذة", "مرشد الشركة", "الوسيطة الثقافية", "المشارك", "مسؤولة الخدمة", "الشركة المضيفة", "مركز التوظيف", "التعاونية", "فريق العمل", "معلمة اللغة الإيطالية", "شبكة الشركاء", "مستشار التوظيف", "الأسرة المضيفة", "مدير شؤون الموظفين", "مكتب الخدمات المحلي"],
        "verb": ["أعدّ", "تابع باهتمام", "نظّم", "ناقش", "اعترف بـ", "عزّز", "رتّب", "بنى", "راجع", "شارك", "رافق", "روى", "حسّن", "أعاد التفكير في", "وثّق"],
        "obj": ["تقييم المهارات", "خطة التدريب", "جدول اللقاءات", "الأسابيع الأولى في العمل", "المنحة الفردية", "مسار التكوين", "قواعد السلامة", "سيرة ذاتية أوضح", "مقابلة الاختيار", "الشهادة النهائية", "المواد الإعلامية", "الخبرات السابقة", "دورة لغة", "البحث عن سكن", "الاتصالات مع الشركات"],
        "compl": ["بصبر", "في الأشهر التالية", "مع الزملاء", "دون استعجال", "في كل خطوة", "بمساعدة مترجم", "خلال الصيف", "قبل توقيع العقد", "مع احترام وتيرة كل شخص", "بطريقة بسيطة وعملية", "حتى نهاية المسار", "بنتائج مشجعة"],
        "head": ["نقطة البداية", "التوجيه وتقييم المهارات", "الأشهر الأولى", "التدريب", "بعد التدريب", "ما يعلّمه هذا المثال", "دور المرشد", "اللغة في العمل", "شبكة من الخدمات", "الصعوبات", "النتائج", "نظرة إلى الأمام"],
        "item": ["مقابلة توجيه", "ثلاثة أشهر من دروس الإيطالية", "زيارة إلى الشركة", "لقاء أسبوعي مع المرشد", "إثبات المهارات", "دعم في السكن", "دورة عن السلامة", "بحث نشط عن عمل", "عقد محدد المدة", "التسجيل في مركز التوظيف"],
        "link": ["بطاقة المشروع", "التقرير النهائي", "دليل الشركات", "موقع الشريك", "الأسئلة الشائعة"],
        "intro": "*هذه قصة توضيحية، كُتبت لتبيّن كيف يجري المسار: لا تصف شخصاً حقيقياً ولا شركة حقيقية.*",
        "see": "لمعرفة المزيد، يمكن قراءة",
        "and": "أو",
    },
}
MIN_WORDS, MAX_WORDS = 400, 700


def set_words(spec):
    """Sets the bodies' length in words from `MIN-MAX` (--words)."""
    global MIN_WORDS, MAX_WORDS
    m = re.fullmatch(r"(\d+)-(\d+)", spec.strip())
    if not m or not 0 < int(m.group(1)) <= int(m.group(2)):
        sys.exit(f"gen_corpus: --words wants MIN-MAX with 0 < MIN <= MAX, such as 400-700, not {spec!r}")
    MIN_WORDS, MAX_WORDS = int(m.group(1)), int(m.group(2))
LINK_URLS = ["https://example.org/progetti/", "https://example.org/rapporto-finale.pdf",
             "https://example.org/guida-aziende/", "https://example.org/partner/", "https://example.org/faq/"]


def slugify(s):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def q(s):
    """A double-quoted YAML string."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def words(s):
    return len(s.split())


def body(rng, lang, target):
    """A Markdown body of about `target` words (never fewer): sections with ## headings,
    paragraphs with emphasis, bullet and numbered lists, links."""
    t = TEXT[lang]
    parts = [t["intro"]]
    n = words(t["intro"])
    heads = rng.sample(t["head"], len(t["head"]))
    h = 0
    while n < target:
        head = heads[h % len(heads)]
        h += 1
        sec = ["## " + head]
        for _ in range(rng.randint(1, 2)):
            sents = []
            for _ in range(rng.randint(3, 5)):
                obj = rng.choice(t["obj"])
                r = rng.random()
                if r < 0.15:
                    obj = "*" + obj + "*"
                elif r < 0.25:
                    obj = "**" + obj + "**"
                sents.append(f"{rng.choice(t['subj'])} {rng.choice(t['verb'])} {obj} {rng.choice(t['compl'])}.")
            sec.append(" ".join(sents))
        r = rng.random()
        if r < 0.35:
            items = rng.sample(t["item"], rng.randint(3, 5))
            ordered = rng.random() < 0.4
            sec.append("\n".join((f"{i + 1}. " if ordered else "- ") + it for i, it in enumerate(items)))
        elif r < 0.6:
            a, b = rng.sample(range(len(t["link"])), 2)
            sec.append(f"{t['see']} [{t['link'][a]}]({LINK_URLS[a]}) {t['and']} [{t['link'][b]}]({LINK_URLS[b]}).")
        sw = sum(words(x) for x in sec)
        if n + sw > MAX_WORDS and n >= MIN_WORDS:
            break
        parts.extend(sec)
        n += sw
    return "\n\n".join(parts) + "\n"


class Story:
    pass


def make_stories(n, seed):
    rng = random.Random(seed)
    start, end = date(2019, 1, 1), date(2025, 10, 31)
    span = (end - start).days
    stories = []
    used = set()
    for i in range(n):
        s = Story()
        s.i = i
        s.region = rng.choice(REGION_KEYS)
        s.project = rng.choice(PROJECTS)
        s.kind = "participant" if rng.random() < 0.8 else "host"
        s.date = start + timedelta(days=rng.randrange(span))
        s.themes = rng.sample(THEMES, rng.randint(2, 4))
        s.title_idx = rng.randrange(len(TITLE_PATTERNS))
        s.summary_idx = rng.randrange(len(SUMMARY_PATTERNS))
        s.consent_date = s.date - timedelta(days=rng.randint(10, 60))
        s.expires = date(rng.randint(2031, 2035), s.consent_date.month, min(s.consent_date.day, 28))
        s.scope = ["web"] if rng.random() < 0.7 else ["web", "social"]
        s.anonymous = rng.random() < 0.1
        s.name = rng.choice(NAMES)
        s.words = {lang: rng.randint(MIN_WORDS, MAX_WORDS) for lang in LANGS}
        s.body_seed = rng.getrandbits(64)
        base = slugify(TITLE_PATTERNS[s.title_idx][0].format(r=REGIONS[s.region][0]))
        slug = f"{base}-{i + 1:05d}"
        # Never the person's name in the address (Vetrina refuses it, rightly).
        name_words = [w for w in slugify(s.name).split("-") if len(w) >= 3]
        assert not any(w in slug.split("-") for w in name_words), slug
        assert slug not in used
        used.add(slug)
        s.slug = slug
        s.ref = f"BENCH-{s.project.split('-')[0].upper()}-{REGION_CODES[s.region]}-{i + 1:05d}"
        stories.append(s)
    return stories


def story_text(s, lang):
    li = LANGS.index(lang)
    r = REGIONS[s.region][li]
    p = PROJECT_NAMES[s.project]
    title = TITLE_PATTERNS[s.title_idx][li].format(r=r)
    summary = SUMMARY_PATTERNS[s.summary_idx][li].format(r=r, p=p)
    brng = random.Random(f"{s.body_seed}-{lang}")
    return title, summary, body(brng, lang, s.words[lang])


# The alt text of a generated story's picture (--pictures), by language.
PICTURE_ALT = {
    "it": "Illustrazione di esempio per una storia generata",
    "en": "Example illustration for a generated story",
    "fr": "Illustration d'exemple pour un récit généré",
    "ar": "رسم توضيحي على سبيل المثال لقصة مولَّدة",
}


def vetrina_story(s, lang, pictures=False):
    title, summary, text = story_text(s, lang)
    fm = [
        "---",
        f"title: {q(title)}",
        f"date: {s.date.isoformat()}",
        f"kind: {s.kind}",
        f"project: {s.project}",
        f"region: {s.region}",
        f"themes: [{', '.join(s.themes)}]",
        f"summary: {q(summary)}",
    ]
    if pictures:
        fm.append(f"image: {{src: cover.jpg, alt: {q(PICTURE_ALT[lang])}, faces: none}}")
    if s.kind == "participant":
        if s.anonymous:
            fm += ["person:", f"  display_name: {q(ANON[lang])}", "  identifiability: anonymous", "  minor: false"]
        else:
            fm += ["person:", f"  display_name: {q(s.name)}", "  identifiability: pseudonym", "  minor: false"]
    fm += [
        "consent:",
        f"  reference: {q(s.ref)}",
        f"  date: {s.consent_date.isoformat()}",
        "  given_by: self",
        f"  scope: [{', '.join(s.scope)}]",
        f"  expires: {s.expires.isoformat()}",
        "  withdrawn: false",
        "example: true",
        "---",
        "",
    ]
    return "\n".join(fm) + text


def hugo_story(s, lang, pictures=False):
    title, summary, text = story_text(s, lang)
    fm = [
        "---",
        f"title: {q(title)}",
        f"date: {s.date.isoformat()}",
        f"summary: {q(summary)}",
    ]
    if pictures:
        fm.append(f"image_alt: {q(PICTURE_ALT[lang])}")
    fm += [
        f"regions: [{s.region}]",
        f"projects: [{s.project}]",
        f"themes: [{', '.join(s.themes)}]",
        f"story_kind: {s.kind}",
    ]
    if s.kind == "participant":
        fm.append(f"person: {q(ANON[lang] if s.anonymous else s.name)}")
    fm += ["example: true", "---", ""]
    return "\n".join(fm) + text


def prepare(dirpath, marker):
    """Empty `dirpath` if it is a corpus made by this script (or empty); refuse otherwise."""
    if os.path.exists(dirpath):
        if os.listdir(dirpath) and not os.path.exists(os.path.join(dirpath, marker)):
            sys.exit(f"gen_corpus: {dirpath} exists and is not a corpus made by this script; refusing to delete it")
        trash = os.environ.get("BENCH_TRASH")
        if trash:
            # Set by bench/run.sh: moved aside now, deleted when the benchmark ends (see there).
            os.makedirs(trash, exist_ok=True)
            os.rename(dirpath, os.path.join(trash, f"{os.getpid()}-{time.time_ns()}"))
        else:
            shutil.rmtree(dirpath)
    os.makedirs(dirpath)
    with open(os.path.join(dirpath, marker), "w") as f:
        f.write("made by bench/gen_corpus.py\n")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def demo_covers(repo):
    """The demo site's story covers (bytes), in the order of their stories' folders."""
    root = os.path.join(repo, "content", "stories")
    covers = []
    for slug in sorted(os.listdir(root)):
        path = os.path.join(root, slug, "cover.jpg")
        if os.path.isfile(path):
            with open(path, "rb") as f:
                covers.append(f.read())
    if not covers:
        sys.exit(f"gen_corpus: --pictures needs the demo site's story covers, and {root} has none")
    return covers


def story_picture(covers, s):
    """Story `s`'s picture: a demo cover with a JPEG comment (COM segment) naming the story
    just after the start of the image, so that each story's file is its own."""
    cover = covers[s.i % len(covers)]
    assert cover[:2] == b"\xff\xd8", "a demo cover is not a JPEG"
    note = f"bench picture for {s.slug}".encode()
    return cover[:2] + b"\xff\xfe" + (len(note) + 2).to_bytes(2, "big") + note + cover[2:]


def write_bytes(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def gen_vetrina(stories, repo, out, per_page, pictures=False):
    prepare(out, ".bench-corpus")
    for d in ["content", "data", "themes"]:
        shutil.copytree(os.path.join(repo, d), os.path.join(out, d))
    with open(os.path.join(repo, "site.yaml"), encoding="utf-8") as f:
        site = f.read()
    # The same page size as the Hugo site.
    site, k = re.subn(r"(?m)^stories_per_page:.*$", f"stories_per_page: {per_page}", site)
    if k == 0:
        site += f"\nstories_per_page: {per_page}\n"
    write(os.path.join(out, "site.yaml"), site)
    covers = demo_covers(repo) if pictures else None
    for s in stories:
        for lang in LANGS:
            write(os.path.join(out, "content", "stories", s.slug, f"index.{lang}.md"), vetrina_story(s, lang, pictures))
        if pictures:
            write_bytes(os.path.join(out, "content", "stories", s.slug, "cover.jpg"), story_picture(covers, s))


def hugo_version_tuple(v):
    m = re.search(r"v?(\d+)\.(\d+)\.(\d+)", v or "")
    return tuple(int(x) for x in m.groups()) if m else None


def detect_hugo_version():
    try:
        out = subprocess.run(["hugo", "version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return hugo_version_tuple(out)


HUGO_LANG_NAMES = {"it": "Italiano", "en": "English", "fr": "Français", "ar": "العربية"}
SECTION_TITLES = {"it": "Storie", "en": "Stories", "fr": "Récits", "ar": "قصص"}
REGION_TITLES = {"it": "Regioni", "en": "Regions", "fr": "Régions", "ar": "المناطق"}
PROJECT_TITLES = {"it": "Progetti", "en": "Projects", "fr": "Projets", "ar": "المشاريع"}


def hugo_config(version, per_page, feed_limit):
    new = version is None or version >= (0, 128, 0)
    c = [
        'baseURL = "https://vetrina.example.org/"',
        'title = "Vetrina benchmark (Hugo)"',
        'defaultContentLanguage = "it"',
        "defaultContentLanguageInSubdir = false",
        "enableRobotsTXT = true",
        "",
    ]
    if not new:
        c += [f"paginate = {per_page}", ""]
    else:
        c += ["[pagination]", f"  pagerSize = {per_page}", ""]
    c += [
        "[services.rss]",
        f"  limit = {feed_limit}",
        "",
        "[taxonomies]",
        '  region = "regions"',
        '  project = "projects"',
        "",
        # One feed per language (home) and per region and project (term), as Vetrina has;
        # none per section or taxonomy list, which Vetrina has not.
        "[outputs]",
        '  home = ["HTML", "RSS"]',
        '  section = ["HTML"]',
        '  taxonomy = ["HTML"]',
        '  term = ["HTML", "RSS"]',
        '  page = ["HTML"]',
        "",
        "[markup.goldmark.renderer]",
        "  unsafe = false",
        "",
        "[languages]",
    ]
    for i, lang in enumerate(LANGS):
        c += [
            f"  [languages.{lang}]",
            f'    languageName = "{HUGO_LANG_NAMES[lang]}"',
            f'    contentDir = "content/{lang}"',
            f"    weight = {i + 1}",
        ]
        if lang == "ar":
            c.append('    languageDirection = "rtl"')
    return "\n".join(c) + "\n"


HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="{{ .Site.Language.Lang }}"{{ with .Site.Language.LanguageDirection }} dir="{{ . }}"{{ end }}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} – {{ end }}{{ .Site.Title }}</title>
{{ with .Params.summary }}<meta name="description" content="{{ . }}">{{ end }}
<link rel="stylesheet" href="{{ "style.css" | absURL }}">
{{ with .Site.Home.OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end }}
</head>
<body>
<header>
<a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
<nav>
<a href="{{ "stories/" | relLangURL }}">{{ i18n "stories" }}</a>
<a href="{{ "regions/" | relLangURL }}">{{ i18n "regions" }}</a>
<a href="{{ "projects/" | relLangURL }}">{{ i18n "projects" }}</a>
</nav>
<ul class="languages">{{ range .AllTranslations }}<li><a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a></li>{{ end }}</ul>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer><p>{{ i18n "funded" }}</p></footer>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
{{ range .GetTerms "regions" }} · <a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}
{{ range .GetTerms "projects" }} · <a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
{{ if .Params.example }}<p class="example">{{ i18n "example" }}</p>{{ end }}
{{ with .Params.person }}<p class="person">{{ . }}</p>{{ end }}
<p class="summary">{{ .Params.summary }}</p>
<ul class="themes">{{ range .Params.themes }}<li>{{ . }}</li>{{ end }}</ul>
{{ .Content }}
</article>
{{ end }}
""",
    "_default/list.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pag := .Paginate .Pages }}
<ul class="cards">
{{ range $pag.Pages }}{{ partial "card.html" . }}{{ end }}
</ul>
<nav class="pagination">
{{/* previous, "page k / n", next: the pager of Vetrina's theme. A link to every page of the
     list from every page would be work that grows with the square of the list's length. */}}
{{ if $pag.HasPrev }}<a rel="prev" href="{{ $pag.Prev.URL }}">«</a>{{ end }}
<span>{{ $pag.PageNumber }} / {{ $pag.TotalPages }}</span>
{{ if $pag.HasNext }}<a rel="next" href="{{ $pag.Next.URL }}">»</a>{{ end }}
</nav>
{{ end }}
""",
    "_default/taxonomy.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}
</ul>
{{ end }}
""",
    "_default/term.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .OutputFormats.Get "rss" }}<p><a href="{{ .RelPermalink }}">RSS</a></p>{{ end }}
<ul class="cards">
{{ range .Pages }}{{ partial "card.html" . }}{{ end }}
</ul>
{{ end }}
""",
    "index.html": """{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
<h2>{{ i18n "latest" }}</h2>
<ul class="cards">
{{ range first 10 (where .Site.RegularPages "Section" "stories") }}{{ partial "card.html" . }}{{ end }}
</ul>
<p><a href="{{ "stories/" | relLangURL }}">{{ i18n "stories" }}</a></p>
{{ end }}
""",
    "404.html": """{{ define "main" }}
<h1>404</h1>
<p><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a></p>
{{ end }}
""",
    "partials/card.html": """<li class="card"><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
<p>{{ .Params.summary }}</p></li>
""",
    # The feed: title, link, date and the front matter summary of the latest entries.
    "_default/rss.xml": """{{- $pages := .Pages -}}
{{- if .IsHome -}}{{- $pages = where .Site.RegularPages "Section" "stories" -}}{{- end -}}
{{- $limit := .Site.Config.Services.RSS.Limit -}}
{{- if ge $limit 1 -}}{{- $pages = $pages | first $limit -}}{{- end -}}
{{- printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\" standalone=\\"yes\\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>{{ if not .IsHome }}{{ .Title }} – {{ end }}{{ .Site.Title }}</title>
<link>{{ .Permalink }}</link>
<language>{{ .Site.Language.Lang }}</language>
{{ with .OutputFormats.Get "RSS" }}<atom:link href="{{ .Permalink }}" rel="self" type="application/rss+xml"/>{{ end }}
{{ range $pages }}<item>
<title>{{ .Title }}</title>
<link>{{ .Permalink }}</link>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
<guid>{{ .Permalink }}</guid>
<description>{{ .Params.summary }}</description>
</item>
{{ end }}
</channel>
</rss>
""",
}

HUGO_I18N = {
    "it": {"stories": "Storie", "regions": "Regioni", "projects": "Progetti", "latest": "Ultime storie",
           "example": "Esempio illustrativo", "funded": "Cofinanziato dall'Unione europea"},
    "en": {"stories": "Stories", "regions": "Regions", "projects": "Projects", "latest": "Latest stories",
           "example": "Illustrative example", "funded": "Co-funded by the European Union"},
    "fr": {"stories": "Récits", "regions": "Régions", "projects": "Projets", "latest": "Derniers récits",
           "example": "Exemple illustratif", "funded": "Cofinancé par l'Union européenne"},
    "ar": {"stories": "قصص", "regions": "المناطق", "projects": "المشاريع", "latest": "أحدث القصص",
           "example": "مثال توضيحي", "funded": "بتمويل مشترك من الاتحاد الأوروبي"},
}


# With --pictures: the story page and its card show the story's picture, resized to the
# widths Vetrina makes of a picture 1200 pixels wide (480, 960 and 1200; it never enlarges
# one) in JPEG and WebP at quality 80, as Vetrina's theme shows it (`<picture>`, a WebP
# source and a JPEG fallback). Hugo keeps what it made in resources/_gen, its picture cache.
HUGO_PICTURE_LAYOUTS = {
    "partials/picture.html": """{{- $i := .img -}}
{{- $j1 := $i.Resize "480x jpg q80" -}}{{- $j2 := $i.Resize "960x jpg q80" -}}{{- $j3 := $i.Resize (printf "%dx jpg q80" $i.Width) -}}
{{- $w1 := $i.Resize "480x webp q80" -}}{{- $w2 := $i.Resize "960x webp q80" -}}{{- $w3 := $i.Resize (printf "%dx webp q80" $i.Width) -}}
<picture><source type="image/webp" srcset="{{ $w1.RelPermalink }} 480w, {{ $w2.RelPermalink }} 960w, {{ $w3.RelPermalink }} {{ $i.Width }}w" sizes="{{ .sizes }}">
<img src="{{ $j2.RelPermalink }}" srcset="{{ $j1.RelPermalink }} 480w, {{ $j2.RelPermalink }} 960w, {{ $j3.RelPermalink }} {{ $i.Width }}w" sizes="{{ .sizes }}" width="{{ $j2.Width }}" height="{{ $j2.Height }}" alt="{{ .alt }}" loading="lazy" decoding="async"></picture>
""",
    "_default/single.html": HUGO_LAYOUTS["_default/single.html"].replace(
        "<h1>{{ .Title }}</h1>\n",
        "<h1>{{ .Title }}</h1>\n"
        '{{ with .Resources.GetMatch "cover.jpg" }}{{ partial "picture.html" (dict "img" . "alt" $.Params.image_alt "sizes" "(min-width: 48rem) 48rem, 100vw") }}{{ end }}\n',
        1,
    ),
    "partials/card.html": HUGO_LAYOUTS["partials/card.html"].replace(
        '<li class="card">',
        '<li class="card">{{ with .Resources.GetMatch "cover.jpg" }}{{ partial "picture.html" (dict "img" . "alt" $.Params.image_alt "sizes" "(min-width: 48rem) 16rem, 100vw") }}{{ end }}',
        1,
    ),
}
assert all(HUGO_PICTURE_LAYOUTS[k] != HUGO_LAYOUTS[k] for k in ["_default/single.html", "partials/card.html"])


def gen_hugo(stories, repo, out, version, per_page, feed_limit, pictures=False):
    prepare(out, ".bench-corpus")
    write(os.path.join(out, "hugo.toml"), hugo_config(version, per_page, feed_limit))
    layouts = dict(HUGO_LAYOUTS)
    if pictures:
        layouts.update(HUGO_PICTURE_LAYOUTS)
    for name, text in layouts.items():
        write(os.path.join(out, "layouts", name), text)
    covers = demo_covers(repo) if pictures else None
    for lang in LANGS:
        lines = [f"{k} = {q(v)}" for k, v in HUGO_I18N[lang].items()]
        write(os.path.join(out, "i18n", f"{lang}.toml"), "\n".join(lines) + "\n")
        li = LANGS.index(lang)
        write(os.path.join(out, "content", lang, "_index.md"), f"---\ntitle: {q(HUGO_LANG_NAMES[lang])}\n---\n")
        write(os.path.join(out, "content", lang, "stories", "_index.md"), f"---\ntitle: {q(SECTION_TITLES[lang])}\n---\n")
        write(os.path.join(out, "content", lang, "regions", "_index.md"), f"---\ntitle: {q(REGION_TITLES[lang])}\n---\n")
        write(os.path.join(out, "content", lang, "projects", "_index.md"), f"---\ntitle: {q(PROJECT_TITLES[lang])}\n---\n")
        for key, names in REGIONS.items():
            write(os.path.join(out, "content", lang, "regions", key, "_index.md"), f"---\ntitle: {q(names[li])}\n---\n")
        for key, name in PROJECT_NAMES.items():
            write(os.path.join(out, "content", lang, "projects", key, "_index.md"), f"---\ntitle: {q(name)}\n---\n")
        for s in stories:
            if pictures:
                # A page bundle: the page and its picture, in each language's content
                # (Hugo 0.111 shares no resource between languages; it processes a
                # picture once whatever the number of copies, by its content).
                bundle = os.path.join(out, "content", lang, "stories", s.slug)
                write(os.path.join(bundle, "index.md"), hugo_story(s, lang, pictures))
                write_bytes(os.path.join(bundle, "cover.jpg"), story_picture(covers, s))
            else:
                write(os.path.join(out, "content", lang, "stories", s.slug + ".md"), hugo_story(s, lang))
    css = os.path.join(repo, "themes", "default", "static", "style.css")
    if os.path.exists(css):
        os.makedirs(os.path.join(out, "static"), exist_ok=True)
        shutil.copy(css, os.path.join(out, "static", "style.css"))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, required=True, help="number of generated stories (each in it, en, fr, ar)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", required=True, help="folder of the Vetrina site to create")
    ap.add_argument("--hugo-out", help="folder of the Hugo site to create (default: OUT-hugo)")
    ap.add_argument("--no-hugo", action="store_true", help="do not generate the Hugo site")
    ap.add_argument("--repo", default=os.path.dirname(here), help="the repository whose demo site is copied")
    ap.add_argument("--hugo-version", help="Hugo version to write the config for (default: from `hugo version`)")
    ap.add_argument("--per-page", type=int, default=10, help="stories per list page, both sites (default 10)")
    ap.add_argument("--feed-limit", type=int, default=50, help="entries per Hugo feed (Vetrina's is 50)")
    ap.add_argument("--words", default=f"{MIN_WORDS}-{MAX_WORDS}", help=f"words in a story's body, MIN-MAX (default {MIN_WORDS}-{MAX_WORDS})")
    ap.add_argument("--pictures", action="store_true", help="a picture in every story (see above)")
    a = ap.parse_args()
    set_words(a.words)
    out = os.path.abspath(a.out.rstrip("/"))
    stories = make_stories(a.n, a.seed)
    gen_vetrina(stories, a.repo, out, a.per_page, a.pictures)
    extra = f", {MIN_WORDS}-{MAX_WORDS} words" + (", a picture each" if a.pictures else "")
    print(f"gen_corpus: Vetrina site with {a.n} stories x {len(LANGS)} languages{extra} in {out}")
    if not a.no_hugo:
        hout = os.path.abspath(a.hugo_out or out + "-hugo")
        version = hugo_version_tuple(a.hugo_version) if a.hugo_version else detect_hugo_version()
        gen_hugo(stories, a.repo, hout, version, a.per_page, a.feed_limit, a.pictures)
        v = ".".join(map(str, version)) if version else "unknown (config for recent Hugo)"
        print(f"gen_corpus: Hugo site with the same stories in {hout} (config for Hugo {v})")


if __name__ == "__main__":
    main()
