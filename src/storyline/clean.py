"""The clean stage: a ``RawDoc`` in, its main text and metadata (``CleanDoc``) out.

Why: event coding must see the story and nothing else. A share button, a comment policy
or an agency sign-off code coded as a sentence gives wrong actors and events, and a
headline printed three times by a page template gives three reports of one event.

1. HTML is parsed once and goes through trafilatura (comments off, settings measured with
   ``storyline eval boilerplate``), which also gives title, author, date and URL. Then two
   page-level passes: the text is trimmed to the core that trafilatura's precision mode
   also finds, where what lies around it looks like furniture (:func:`trim_to_core`), and
   lines that are in the page the text of a link to another page, or an image caption,
   are dropped (:func:`drop_dom_lines`).
2. Every text (plain text too) then goes through :func:`post_clean`: general line rules
   learned from news sites (share/follow/newsletter prompts, comment widgets and policies,
   "Read More"/"Also read:" lines, photo credits, agency sign-off codes, breadcrumbs,
   repeated blocks). No rule names a site or a page.
3. The dateline ("Seoul, Jan 29 (IANS)", "SEOUL (AP) —", "Seoul:") is detected and kept in
   the text; the language is identified offline; ``content_hash`` identifies the text.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .cache import cached_file
from .errors import EmptyDocument
from .identity import content_hash
from .models import CleanDoc, RawDoc
from .errors import TooLargeDocument as TooLarge
from .text.dateline import dateline_date, find_dateline, is_headline, page_date, words
from .text.dates import url_date

_WS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200e\u200f\ufeff\u00ad]")


# --------------------------------------------------------------------------- rules

# Whole lines that are never story text (matched case-insensitively on the stripped line).
_JUNK_LINE = re.compile(
    r"""^(?:
      read\ more(?:\ (?:news|stories|here|about\ this|at\ source))?\.{0,3}
    | continue\ reading.{0,60}
    | spread\ the\ love
    | (?:please\ )?(?:like\ and\ )?share(?:\ this)?(?:\ (?:article|story|post|page))?(?:\ (?:on|via|with)\ .{0,40})?\s*:?
    | share\ (?:on|via)\ \w+.{0,40}
    | (?:facebook|twitter|x|whatsapp|telegram|linkedin|pinterest|reddit|email|e-mail|print|tweet|copy\ link|comments?)
    | subscribe(?:\ now)?\s*!?
    | notify\ of
    | \d+\ comments?
    | no\ comments?(?:\ yet)?\.?
    | inline\ feedbacks?
    | view\ all\ comments
    | wpdiscuz
    | would\ love\ your\ thoughts,?\ please\ comment\.?x?
    | exit\ mobile\ version
    | skip\ to\ (?:main\ )?content
    | (?:leave|post|add|write)\ a\ (?:reply|comment|response).{0,40}
    | cancel\ reply
    | (?:newest|oldest|most\ voted)(?:\s+(?:newest|oldest|most\ voted))*
    | login|log\ in|sign\ in|register|logout
    | your\ email\ address\ will\ not\ be\ published\.?.{0,80}
    | required\ fields\ are\ marked.{0,10}
    | advertisements?|sponsored(?:\ content)?|ad|promoted
    | scroll\ (?:down\ )?to\ continue(?:\ with\ content)?
    | (?:previous|next)\ (?:article|post|story)\s*:?.{0,150}
    | related\ (?:articles|posts|stories|news|topics)\s*:?
    | (?:you\ (?:may|might)\ also\ (?:like|be\ interested\ in)|recommended(?:\ for\ you)?|more\ (?:from|on)\ .{1,40}|trending(?:\ now)?|most\ (?:read|popular|viewed))\s*:?
    | (?:also\ read|read\ also|see\ also|also\ see|must\ read|don'?t\ miss|related|recommended|watch|read|listen|more)\s*[:|\-–—]\s*.{0,200}
    | (?:click|tap)\ here\ (?:to|for)\ .{0,150}
    | follow\ (?:us|me|\w+)\ on\ .{0,120}
    | (?:join|follow)\ (?:our|us\ on)\ .{0,40}(?:whatsapp|telegram|channel|facebook|twitter|instagram|youtube|google\ news).{0,80}
    | (?:download|get)\ (?:the|our)\ .{0,30}\bapp\b.{0,80}
    | tags?\s*:.{0,200}
    | (?:posted|filed)\ (?:in|under)\s*:?.{0,150}
    | categories\s*:.{0,150}
    | (?:updated|last\ updated|published|first\ published|posted)\s*(?:on|at|:)\s*.{0,60}\d.{0,40}
    | (?:photo|photos|image|images|picture|pictures|file\ photo|photograph|pic|representational\ (?:image|photo|picture)|graphic|video)(?:\ credits?)?\s*(?:[:|/]|by\b|courtesy\b).{0,120}
    | \(?(?:photo|image|picture|file\ photo|representational\ image)s?(?:\ credit)?\s*[:/]\s*[^)]{0,100}\)?
    | (?:ians|ani|pti|afp|ap|reuters|xinhua|yonhap|uni)\ (?:photo|file\ photo|image)s?
    | (?:file\ )?(?:photo|image|picture)s?|representational\ (?:image|photo|picture)|photo\ gallery
    | (?:reporting|writing|editing|additional\ reporting)\ by\ [^.\n]{2,150}
    | \((?:reporting|writing|editing|additional\ reporting|compiled)\ by\ [^\n]{2,300}\)
    | ©.{0,120}|copyright\ (?:©\ ?)?\d{4}.{0,150}|all\ rights\ reserved\.?
    | [-–—]{1,3}\s*(?:ians|ani|pti|afp|ap|reuters|xinhua|yonhap|uni|agencies|bss|apa|wam|spa|kyodo|dpa|efe|tass|anadolu|aa)\.?
    | \(?(?:with\ inputs\ from|inputs\ from)\ [^\n]{2,80}\)?\.?
    | \(this\ story\ has\ not\ been\ edited\ by\ .{0,160}\)
    | this\ (?:story|article)\ (?:has\ been|was)\ (?:published|auto-generated)\ from\ (?:a|an)\ (?:wire|syndicated)\ .{0,120}
    )$""",
    re.I | re.X,
)

# More furniture lines, in the languages of the dev corpus (English, German, French,
# Spanish, Italian, Portuguese, Polish, Dutch): "more on this" headings and link lines,
# comment counters, page-update stamps, picture credits, paywall and newsletter prompts,
# reading-time badges, reprint notices. Each alternative is a kind of line, not a page.
_JUNK_LINE_MORE = re.compile(
    r"""^(?:
    # headings of link lists (alone on their line, optional colon)
      (?:more\ (?:stories|news|on\ this(?:\ story)?|about\ this)|related\ (?:content|coverage|reading)|latest\ news
        |top\ stories|what\ to\ read\ next|don'?t\ miss|see\ more|keep\ reading|recommended\ stories|editor'?s\ picks
        |auch\ interessant|(?:das\ )?(?:thema\ )?könnte\ (?:dich|sie|euch)\ auch\ interessieren|mehr\ (?:zum\ thema|dazu|themen|artikel|news|nachrichten)(?:\ .{1,30})?
        |weitere\ (?:artikel|informationen|infos|themen|beiträge|nachrichten|meldungen|links|aktuelle\ themen)(?:\ .{1,40})?
        |lesen\ sie\ (?:auch|mehr)(?:\ .{1,40})?|lies\ auch|zum\ thema|top-themen(?:\ .{1,30})?|beiträge\ aus\ dem\ forum|inhaltsverzeichnis
        |table\ of\ contents|contents|zusatzinformationen|ansprechpartner(?:in)?(?:\ zum\ thema)?|originalpublikation
        |notas\ relacionadas|noticias\ relacionadas|contenido\ relacionado|artículos\ relacionados|más\ (?:sobre|noticias|leídas)(?:\ .{1,30})?
        |(?:también\ )?te\ puede\ interesar|le\ puede\ interesar|sur\ le\ même\ sujet|à\ lire\ (?:aussi|également)|lire\ aussi|pour\ aller\ plus\ loin
        |articles?\ (?:liés|similaires)|leggi\ anche|potrebbe\ interessarti|articoli\ correlati|leia\ (?:também|mais)|veja\ também|notícias\ relacionadas
        |czytaj\ (?:też|także|również|więcej)|zobacz\ (?:też|także|również)|lees\ ook|meer\ over\ .{1,30}|gerelateerde\ artikelen
      )\s*:?
    # link lines: "<cue>: headline"
    | (?:read\ more|more|read\ next|related|le\ puede\ interesar|te\ puede\ interesar|lea\ (?:más|también)|lee\ también|mire|vea\ también
        |ver\ también|à\ lire\ aussi|lire\ aussi|voir\ aussi|leggi\ anche|leia\ também|veja\ também|lesen\ sie\ auch|auch\ interessant|mehr\ zum\ thema
        |siehe\ auch|czytaj\ (?:też|także|również|więcej)|zobacz\ (?:też|także)|lees\ ook|op\ de\ hoogte)\s*[:|\-–—»>]+\s*.{1,200}
    | >>\s*.{5,200}\s*<<
    # comment counters and widgets
    | (?:\d+\ )?(?:kommentare?|comentarios?|commentaires?|commenti|komentarz[ey]?|reacties)(?:\ \(\d+\))?
    | (?:keine|no|sin|aucun|nessun|brak)\ (?:kommentare|comments|comentarios|commentaires?|commenti|komentarzy).{0,80}
    | kommentare\ insgesamt\s*:.{0,40}|view\ comments|show\ comments|load\ comments|kommentieren
    # update stamps
    | (?:letzte\ (?:änderung|aktualisierung)|zuletzt\ (?:aktualisiert|geändert)|last\ (?:modified|changed|update)|mis\ à\ jour|actualizado|aktualizacja|stand)\s*(?:am|on|le|el|:)?\s*:?\s*.{0,30}\d.{0,60}
    # picture credits
    | \(?(?:credit|credits|titelbild|titelfoto|beitragsbild|headerbild|bild|bilder|foto|fotos|fotografía|image\ illustrative|illustration|crédits?(?:\ photos?)?|zdjęcie|fot\.|quelle|source|fuente)\s*:\s*[^\n]{1,120}\)?
    | bild\ anzeigen|bild\ vergrößern|zoom|enlarge\ image|ver\ imagen|voir\ l'image
    # paywall, login, subscription and newsletter prompts
    | (?:to\ (?:view|read|continue\ reading)\ the\ full\ (?:story|article)|if\ you(?:'|’)re\ (?:seeing\ this|already\ a\ subscriber)|you\ have\ reached\ your).{0,200}
    | (?:sign\ up|subscribe)\ (?:to|for)\ (?:get|receive|our).{0,150}
    | never\ miss\ .{0,40}(?:newsletter|sign(?:ing)?\ up|subscrib).{0,80}
    | (?:zum|für\ den)\ newsletter\ anmelden.{0,60}|newsletter\ (?:abonnieren|bestellen|anmelden).{0,60}
    | sie\ sind\ (?:aktuell\ |derzeit\ )?nicht\ eingeloggt\.?
    | (?:pour\ accéder|accédez)\ (?:en\ illimité|à\ l'intégralité|à\ tous).{0,100}
    | (?:hazte|hágase)\ (?:miembro|socio|suscriptor).{0,100}
    | zapraszamy\ (?:też\ )?do\ subskrypcji.{0,200}
    | (?:if\ you\ (?:enjoyed|liked|value)\ (?:reading\ )?this|(?:would\ you\ )?consider\ supporting|support\ (?:our|independent)\ journalism|unterstütze\ .{1,40}\ (?:mit|bereits)).{0,200}
    | (?:we\ want\ to\ hear\ what\ you\ think|submit\ (?:a|your)\ letter\ to\ the\ editor|letters?\ to\ the\ editor:?).{0,200}
    | (?:for\ the\ latest\ (?:stories|news|updates)).{0,60}\b(?:download|app|apps|follow|subscribe)\b.{0,100}
    | follow\ .{1,60}\ on\ (?:twitter|x|instagram|facebook|tiktok|youtube|threads|telegram|whatsapp)\b.{0,200}
    | ¡?(?:mira|sigue|síguenos)\ .{0,60}(?:youtube|facebook|twitter|instagram|telegram|whatsapp|canal).{0,60}
    | (?:lesen\ sie\ (?:hier|weiter)|hier\ lesen|weiterlesen|dowiedz\ się\ więcej|więcej|pour\ lire\ la\ suite|lire\ la\ suite|seguir\ leyendo|continua\ a\ leggere)\s*(?:[:|\-–—»>]+\s*.{0,200}|\.{0,3})
    | (?:empfohlene|ähnliche|verwandte|beliebte)\ (?:beiträge|artikel|themen)|(?:vorschau\ auf\ den\ )?nächsten?\ (?:artikel|beitrag)|vorheriger\ (?:artikel|beitrag)
    | our\ standards\s*:.{0,100}
    # embedded-content consent placeholders, login prompts, availability notes
    | (?:click|klicken\ sie|klicke)\ .{0,50}\b(?:button|hier|here)\b.{0,60}\b(?:laden|load|inhalt|content|anzuzeigen|display)\b.{0,80}
    | (?:mit\ dem\ laden\ (?:des|der)\ .{1,30}\ akzeptieren\ sie|by\ (?:loading|playing)\ (?:the|this)\ .{1,30}\ you\ (?:accept|agree)).{0,200}
    | (?:you\ must|du\ musst|sie\ müssen|debes|vous\ devez)\ (?:be\ )?(?:logged\ in|eingeloggt|angemeldet|registriert|iniciar\ sesión|être\ connecté).{0,120}
    | (?:video|audio|sendung|podcast)\ (?:verfügbar|available|abrufbar)\ (?:bis|until).{0,40}
    # dates alone on their line ("23.10.2018", "24. März 2004, 19:49", "January 13, 2020 at 08:45 AM")
    | (?:[^\W\d_]{2,12},?\ )?\d{1,2}[./-]\ ?\d{1,2}[./-]\ ?\d{2,4}(?:,?\ (?:um\ )?\d{1,2}[:.]\d{2}(?:\ ?(?:uhr|am|pm|h))?)?
    | (?:[^\W\d_]{2,12},?\ )?\d{1,2}\.?\ [^\W\d_]{3,12}\.?\ \d{4}(?:,?\ (?:um\ |at\ )?\d{1,2}[:.]\d{2}(?:\ ?(?:uhr|am|pm|h))?)?
    | (?:[^\W\d_]{2,12},?\ )?[^\W\d_]{3,12}\.?\ \d{1,2},?\ \d{4}(?:,?\ (?:at\ )?\d{1,2}[:.]\d{2}(?:\ ?(?:am|pm))?)?
    # English wire and news-site furniture
    | (?:this\ material|this\ article|it)\ may\ not\ be\ (?:published|reproduced|copied).{0,160}
    | (?:[A-Z][\w.\-]*\ ){0,4}(?:writers?|correspondents?|reporters?|staff)?\ ?.{0,80}\bcontributed\ (?:to\ )?(?:this|the)\ (?:report|story|article)\.?
    | [-–—]\s*with\ (?:assistance|additional\ reporting)\ (?:from|by)\ .{2,150}
    | [(/]\s*(?:ap|afp|ani|ians|pti|reuters|xinhua|upi|dpa|efe|ansa|tass|bss|wam|spa|kyodo|yonhap|aa|epa)\s*\)?\.?
    | (?:have\ a\ (?:news\ )?tip|got\ a\ (?:news\ )?tip|contact\ us\ at|send\ us\ (?:your|a)).{0,120}
    | listen\ to\ (?:this|the)\ (?:article|story)(?:\ .{0,30})?
    | (?:story|article|text)\ continues\ (?:below|after)(?:\ (?:the\ )?(?:advertisement|ad|this\ ad))?
    | (?:updated|published|posted|last\ updated)\s+[^,;]{0,40}(?:\d{1,2}:\d{2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\ \d{1,2}\b|\b\d{1,2}\ (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}).{0,40}
    | (?:.{1,60}\ via\ )?getty\ images|\(photo\ by\ [^)]{2,100}\)|photo\ by\ [^,]{2,60}/[^,]{2,40}|(?:[A-Z][\w.'’\-]+\ ){1,4}[A-Z][\w.'’\-]+\s*/\s*(?:ap|afp|reuters|epa(?:-efe)?|getty\ images|ians|ani|pti|xinhua|anadolu|bloomberg|shutterstock|alamy)(?:\ (?:photo|images?))?
    | file\ -\ .{0,200}
    | (?:we|this\ (?:site|website))\ uses?\ cookies.{0,200}|accept\ (?:all\ )?cookies|cookie\ (?:settings|policy|preferences)
    | click\ to\ (?:share|email|print)\ .{0,60}|like\ this:?|loading\.{0,3}|related|breaking(?:\ news)?|live\ updates?
    | become\ a\ (?:member|subscriber|patron|supporter).{0,80}|already\ a\ (?:subscriber|member)\??.{0,60}
    | (?:this\ (?:article|story|piece)\ (?:was\ )?(?:originally|first)\ (?:published|appeared)|originally\ published\ (?:as|in|on|by)).{0,160}
    | (?:disclaimer\s*:.{0,200}|the\ views\ (?:and\ opinions\ )?expressed\ (?:in\ this\ (?:article|column|piece)\ )?are\ (?:the\ author'?s?|those\ of|personal|solely).{0,160})
    | (?:edited|written|compiled|produced)\ by\ [A-Z][^.\n]{2,60}
    | (?:read\ more|also\ read|read\ also|more\ news)\s*[:|]?
    # reading time and ads
    | (?:\d+\ (?:min(?:ute)?s?|minuten)\ (?:read|lesezeit|de\ lecture|de\ lectura))|(?:lesezeit|reading\ time|temps\ de\ lecture|tiempo\ de\ lectura)\s*:?\s*\d.{0,20}
    | ten\ tekst\ przeczytasz\ w\ .{0,40}
    | anzeige(?:\s*[-–—:].{0,100})?|werbung|publicidad|publicité|pubblicità|reklama|advertorial
    # reprint and liability notices
    | .{0,120}\bwritten\ permission\ must\ be\ obtained\b.{0,200}
    | (?:materiał\ chroniony\ prawem\ autorskim|nachdruck\ (?:nur\ )?(?:mit|nicht)|alle\ rechte\ vorbehalten|todos\ los\ derechos\ reservados|tous\ droits\ réservés|tutti\ i\ diritti\ riservati|wszelkie\ prawa\ zastrzeżone).{0,160}
    | \(?alle\ angaben\ ohne\ gewähr\.?\)?
    )$""",
    re.I | re.X,
)

# reported speech: a line with it is story text even when it starts like furniture
_SPEECH = re.compile(r"\b(?:said|says|told|according\ to|sagte|sagt|erklärte|dijo|afirmó|a\ déclaré|ha\ detto|powiedział)\b", re.I)

# Agency desk / sign-off codes: "akl/jk/", "--IANS", "/sr/", "ksk/" (whole line).
_SIGNOFF_CODE = re.compile(r"^(?:[-–—]{1,3}\s*)?(?:[a-z]{1,5}/){1,5}[a-z]{0,5}/?$|^/?(?:[a-z]{2,5}/)+$", re.I)
# A sign-off code glued to the start of the next line ("akl/jk/Home Agency News ...").
_GLUED_SIGNOFF = re.compile(r"^(?:[a-z]{1,5}/){2,5}(?=[A-Z])")
# A date-time stamp line: a year and a clock time in a short line without sentence end.
_STAMP_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_STAMP_TIME = re.compile(r"(?<![\d:])\d{1,2}[:h]\d{2}(?![\d:])")
# Breadcrumb: "Home » World » ...", "Home / News / ...", "Home Agency News Headline..."
_CRUMB_SEP = re.compile(r"\s(?:»|›|>|/|\||–|::)\s")
_HOME = re.compile(r"^(?:home|homepage|start)\b", re.I)

# Social-share / newsletter prompts (short lines containing these).
_PROMPT = re.compile(
    r"""(?:
      \bsign\ up\b.{0,60}\b(?:newsletter|alerts?|updates|inbox|briefing)
    | \bsubscribe\b.{0,60}\b(?:newsletter|channel|updates|alerts|youtube|inbox|notifications?|free|today|now)
    | \bnewsletter\b.{0,80}\b(?:sign\ up|subscribe|inbox|email|e-mail|delivered)
    | \b(?:get|receive)\b.{0,40}\b(?:delivered|straight)\b.{0,20}\b(?:inbox|email)
    | \bshare\ (?:this|the)\ (?:article|story|post)\b
    | \bfollow\ us\b
    | \blike\ us\ on\ facebook\b
    | \b(?:whatsapp|telegram)\ (?:channel|group)\b
    | \benable\ (?:push\ )?notifications\b
    | \bnewsletter\b.{0,80}\b(?:erhalten|abonn\w*|anmeld\w*|suscr\w*|inscri\w*|iscriv\w*|zapisz|receive|get)\b
    | \b(?:erhalten|abonnieren|suscríbete|suscribirse|inscrivez-vous|abonnez-vous)\b.{0,80}\bnewsletter\b
    | \b(?:by|per)\ e-?mail\b.{0,80}\bsign\ up\b|\bsign\ up\ (?:here|now|free|today)\W*$|\bfree\ sign\ up\W*$
    | \bmit\ (?:der|ihrer)\ (?:registrierung|anmeldung)\ akzeptieren\ sie\b
    | \bby\ (?:signing\ up|subscribing|registering)\b.{0,60}\b(?:agree|accept)\b
    | \b(?:affiliate[\ -]links?|partnerlinks?|provisions?-?links?)\b
    | \bwe\ (?:may\ )?(?:receive|earn|get)\ (?:a\ )?(?:small\ )?(?:compensation|commission)\b
    | \b(?:erhalten\ wir|bekommen\ wir)\ (?:eine\ )?provision\b|\bgeld\ erhalten\ wir\b
    | \bcontains?\ (?:references\ to\ products|affiliate|sponsored)\b
    | \bturn\ on\ notifications\b
    )""",
    re.I | re.X,
)

# Comment-policy cues: a paragraph with several of these is a notice about readers' comments.
_POLICY_CUES = [re.compile(p, re.I) for p in (
    r"\bcomments?\b", r"\breaders?\b", r"\bcommenters?\b", r"\bopinions?\b|\bviews\b",
    r"\bdo(?:es)? not (?:necessarily )?reflect\b", r"\bnot responsible\b|\bresponsibility\b",
    r"\bdefamatory\b|\binflammatory\b|\babusive\b|\bobscene\b|\boffensive\b",
    r"\bpersonal attacks?\b", r"\bguidelines\b|\bpolicy\b|\bterms of (?:use|service)\b",
    r"\bmoderat\w*", r"\bposting\b|\bposted\b", r"\b(?:ip address|e-?mail address)\b",
    r"\bdelete\b|\bremove\b",
)]

# at least one of these must be present: what only a policy notice says
_POLICY_STRONG = re.compile(
    r"do(?:es)? not (?:necessarily )?reflect|not responsible|responsibility for the content|defamatory|"
    r"inflammatory|personal attacks?|guidelines|moderat|ip address|terms of (?:use|service)|"
    r"refrain from|abusive|obscene|offensive comments|comment policy", re.I)

_BYLINE = re.compile(r"^(?:by|written by|words by|reported by)\s+(?P<b>[A-Z][\w.'’\-]+(?:[ ,]+(?:and |& )?[A-Z][\w.'’\-]+){0,6})"
                     r"(?:\s*[,|\-–—]\s*[\w .'’\-]{0,60})?$", re.I)


# --------------------------------------------------------------------------- helpers

def _key(line: str) -> str:
    """Comparison key of a line for repeat detection (case, punctuation, ellipsis ignored)."""
    s = unicodedata.normalize("NFKC", line).casefold()
    s = re.sub(r"(?:\.\.\.|…)\s*$", "", s)
    return re.sub(r"[\W_]+", " ", s).strip()


def is_junk_line(line: str) -> bool:
    """True for a line that is page furniture in any news site (see module doc)."""
    s = line.strip()
    if s.startswith("|") or s.endswith("|"):  # a flattened table row: "| Kommentare: 0 | |"
        s = s.strip("| ").strip()
        if not s:
            return True
    if not s:
        return False
    if len(s) <= 400 and _JUNK_LINE.match(s):
        return True
    if words(s) <= 6 and s.endswith(("...", "…")) and _JUNK_LINE.match(s.rstrip(".… ")):
        return True  # a link-list heading with an ellipsis: "You may also like..."
    if len(s) <= 400 and _JUNK_LINE_MORE.match(s) and not (words(s) > 8 and _SPEECH.search(s)):
        return True
    if _SIGNOFF_CODE.match(s):
        return True
    if words(s) <= 10 and _STAMP_YEAR.search(s) and _STAMP_TIME.search(s) and not re.search(r"[.!?…]$", s):
        return True  # a date-time stamp in any language: "segunda-feira, 22 de janeiro de 2018 às 0:13"
    # lines made only of punctuation, digits or a lone letter: "()", "x", "0", "|"
    if len(s) <= 3 and not re.search(r"[A-Za-z]{2,}|[^\W\d_]{2,}", s):
        return True
    if words(s) <= 40 and _PROMPT.search(s) and not re.search(r"\b(?:said|says|told|according)\b", s):
        return True
    return False


def is_breadcrumb(line: str, titles: list[str]) -> bool:
    """A navigation crumb: 'Home › News › ...' or 'Home Agency News <truncated headline>...'."""
    s = line.strip()
    if not _HOME.match(s) or words(s) > 40:
        return False
    if len(_CRUMB_SEP.findall(s)) >= 1:
        return True
    if re.search(r"(?:\.\.\.|…)$", s):
        return True
    k = _key(s)
    return any(t and _key(t) and _key(t) in k for t in titles)


def is_comment_policy(par: str) -> bool:
    """A paragraph about readers' comments (who is responsible, what not to post)."""
    if not re.search(r"\bcomment|\breaders?\b", par, re.I):
        return False
    if not _POLICY_STRONG.search(par):
        return False
    hits = sum(1 for cue in _POLICY_CUES if cue.search(par))
    if re.search(r"\b(?:said|told|according to)\b", par) and hits < 5:
        return False
    return hits >= 4 or (hits >= 3 and words(par) <= 60)


@lru_cache(maxsize=1)
def _langid():
    """py3langid's identifier, from its model decompressed once into the user's cache (the
    shipped ``.npz.xz`` takes about 0.5 s to decompress in every process; the cached ``.npz``
    loads in a fifth of that, to the same arrays)."""
    from importlib.metadata import version

    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier, _load_identifier
    from py3langid.modelio import _to_array

    shipped = MODEL_DIR / MODEL_FILE

    def decompress(target) -> None:
        import lzma
        import shutil

        with lzma.open(shipped) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, length=1 << 20)

    name = f"py3langid-{version('py3langid')}-{shipped.stat().st_size}.npz"
    cached = cached_file(name, decompress)
    if cached is None:
        return _load_identifier(norm_probs=True)
    # the same arrays py3langid's own loader builds from the archive (modelio.load_model)
    with np.load(cached, allow_pickle=False) as data:
        return LanguageIdentifier(np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(),
                                  _to_array(data["nextmove"]), data["out_feat"].tolist(), norm_probs=True,
                                  tk_row=_to_array(data["nextmove_row"]))


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (offline py3langid), None when unsure/too short."""
    sample = text[:5000]
    if len(re.findall(r"[^\W\d_]", sample)) < 20:
        return None
    try:
        lang, prob = _langid().classify(sample)
    except Exception:  # noqa: BLE001 - language is a hint, never a reason to fail
        return None
    if prob < 0.5 and len(sample) < 200:
        return None
    return lang


# --------------------------------------------------------------------------- passes

@dataclass
class Cleaned:
    text: str
    title: str | None = None
    byline: str | None = None
    removed: list[str] = field(default_factory=list)


def _paragraphs(text: str) -> list[str]:
    """Lines of a text, normalised (NFC, spaces collapsed), blank lines as ''."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return [_WS.sub(" ", ln).strip() for ln in text.split("\n")]


_LINE_END = re.compile(r"[.!?:;\"”’')\]»…]$")
_LIST_ITEM = re.compile(r"^(?:[-*•·–—]\s|\d{1,3}[.)]\s|\(?[a-z]\)\s)")
WRAP_MAX_WIDTH = 100  # a text hard-wrapped wider than this is read as one paragraph per line


def unwrap_lines(lines: list[str]) -> list[str]:
    """Join the lines of hard-wrapped paragraphs (a text broken every 60-80 characters).

    A wrapped paragraph's line breaks fall inside sentences, so the parser reads a clause
    split over two lines as two fragments (sides, places and dates go missing). A document
    counts as wrapped when no line is wider than ``WRAP_MAX_WIDTH`` and most lines followed
    by another line come close to the widest one; then a line joins the next when it does
    not end a sentence, or when the next one goes on in lower case. Headings (short lines)
    and list items keep their own lines; texts with one paragraph per line are left alone.
    """
    widths = [len(ln) for ln in lines if ln]
    if not widths or max(widths) > WRAP_MAX_WIDTH:
        return lines
    width = max(widths)
    inner = [len(a) for a, b in zip(lines, lines[1:]) if a and b]
    if len(inner) < 3 or sorted(inner)[len(inner) // 2] < 0.6 * width:
        return lines
    out: list[str] = []
    for ln in lines:
        prev = out[-1] if out else ""
        if (ln and prev and len(prev) >= 0.5 * width and not _LIST_ITEM.match(ln)
                and (not _LINE_END.search(prev) or ln[0].islower())):
            out[-1] = f"{prev} {ln}"
        else:
            out.append(ln)
    return out


def post_clean(text: str, title: str | None = None) -> Cleaned:
    """General boilerplate rules for any main text (txt or trafilatura output).

    Returns the cleaned text (paragraphs separated by a blank line as in the input), the
    title when a repeated headline at the top gives one, and a byline when a 'By ...' line
    opens the story.
    """
    lines = unwrap_lines(_paragraphs(text))
    removed: list[str] = []
    out: list[str] = []
    titles = [title] if title else []
    byline = None

    # 1. glued sign-off codes, junk lines, comment policies
    for ln in lines:
        if not ln:
            out.append("")
            continue
        g = _GLUED_SIGNOFF.match(ln)
        if g:
            removed.append(ln[: g.end()])
            ln = ln[g.end():].strip()
        if is_junk_line(ln) or is_comment_policy(ln):
            removed.append(ln)
            continue
        out.append(ln)

    # 2. repeated headline at the top → title; crumbs carrying it go too
    content = [ln for ln in out if ln]
    counts: dict[str, int] = {}
    for ln in content:
        k = _key(ln)
        if k:
            counts[k] = counts.get(k, 0) + 1
    top = content[:8]
    if not title:
        for ln in top:
            if _HOME.match(ln):
                continue
            if counts.get(_key(ln), 0) >= 2 and is_headline(ln):
                title = ln
                titles.append(ln)
                break
    title_key = _key(title) if title else None

    # 3. breadcrumbs, repeated blocks (keep first occurrence; drop every copy of the
    #    title when it was repeated, since it is then page chrome), byline
    seen: set[str] = set()
    result: list[str] = []
    story_started = False
    for ln in out:
        if not ln:
            if result and result[-1] != "":
                result.append("")
            continue
        k = _key(ln)
        if is_breadcrumb(ln, titles):
            removed.append(ln)
            continue
        if title_key and k == title_key and counts.get(k, 0) >= 2:
            removed.append(ln)
            continue
        if k and k in seen and (words(ln) >= 3 or not story_started):
            removed.append(ln)
            continue
        if not story_started and byline is None:
            m = _BYLINE.match(ln)
            if m and words(ln) <= 12:
                byline = m.group("b").strip()
                removed.append(ln)
                continue
        seen.add(k)
        result.append(ln)
        if words(ln) >= 8:
            story_started = True

    # 4. trailing furniture after the story: short lines that are only junk/very short
    while result and (result[-1] == "" or _SIGNOFF_CODE.match(result[-1])):
        result.pop()
    while result and result[0] == "":
        result.pop(0)
    cleaned = "\n\n".join(p for p in "\n".join(result).split("\n\n"))
    # keep paragraph structure: one blank line between paragraphs
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned)
    return Cleaned(text=cleaned.strip(), title=title, byline=byline, removed=removed)


# trafilatura settings measured with ``storyline eval boilerplate`` (docs/INPUT.md): on the
# 990-page trafilatura corpus, favor_precision=True gains 0.017 precision but loses 0.023
# recall after post-cleaning (F1 0.924 vs 0.927); the post-cleaning rules already remove
# the boilerplate precision mode targets, so the standard mode is used (precision mode
# is used only to find the story's core, see trim_to_core).
TRAFILATURA_OPTIONS = dict(
    include_comments=False,
    include_tables=True,
    include_images=False,
    include_links=False,
    favor_precision=False,
    deduplicate=False,
)


_PAGE = re.compile(r"<(?:html|body|head)\b", re.I)


# --------------------------------------------------------------------------- page-level passes
# Measured with ``storyline eval boilerplate`` on the dev half of the article-extraction
# benchmark and on trafilatura's corpus (docs/INPUT.md); each is a property of the page's
# structure, never a string of one site.


def _load_tree(html: str):
    """The page parsed once (trafilatura's parser) for every extraction and DOM look-up of it."""
    from trafilatura.utils import load_html

    return load_html(html)


def _is_list_item(line: str) -> bool:
    return bool(re.match(r"^\s*[-•*–]\s", line))


# Trimming to trafilatura's precision core: the standard extraction keeps the story's lead
# and end that precision mode loses, precision mode drops the "more stories" lists,
# newsletter boxes and headline lines around the story that the standard mode keeps. The
# standard text is kept, less what lies outside the first..last line that precision mode
# also found, and only where that outside part looks like furniture: headline-like lines
# before the core, short lines (≤ TRIM_TAIL_WORDS words) and list items after it. When
# the core holds less than TRIM_MIN_SHARE of the words, precision mode picked another
# block of the page and nothing is trimmed.
TRIM_TO_CORE = True
TRIM_MIN_SHARE = 0.5
TRIM_TAIL_WORDS = 12


def _head_furniture(line: str) -> bool:
    return is_headline(line)


def _tail_furniture(line: str) -> bool:
    return _is_list_item(line) or words(line) <= TRIM_TAIL_WORDS


def trimmable(text: str) -> bool:
    """True when :func:`trim_to_core` could change ``text`` (headline-like first line or a
    short last line): the second, precision-mode extraction is run only then."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    return len(lines) > 1 and (_head_furniture(lines[0]) or _tail_furniture(lines[-1]))


def trim_to_core(standard: str, precise: str) -> str:
    """``standard`` (one paragraph a line) without the furniture around the lines it shares
    with ``precise`` (the same page extracted in precision mode)."""
    lines = [ln for ln in standard.split("\n") if ln.strip()]
    core = {_key(ln) for ln in precise.split("\n") if ln.strip()}
    found = [i for i, ln in enumerate(lines) if _key(ln) in core]
    if not found:
        return standard
    start, end = found[0], found[-1] + 1
    if sum(map(words, lines[start:end])) < TRIM_MIN_SHARE * sum(map(words, lines)):
        return standard
    head = 0
    while head < start and _head_furniture(lines[head]):
        head += 1
    tail = len(lines)
    while tail > end and _tail_furniture(lines[tail - 1]):
        tail -= 1
    return "\n".join(lines[head:tail])


# Lines that are, in the page, the whole text of a link to another page (teasers of other
# stories: "SEE MORE: ...", "- Headline Teaser", lists under "Don't miss"), or mostly
# made of such links (≥ LINK_SHARE of the characters, lines up to 30 words), and lines
# that are image captions (<figcaption>, or an element whose class names a caption).
# In-page links (href "#...") are table-of-contents entries: their headings are kept.
DOM_LINES = True
LINK_SHARE = 0.8


@lru_cache(maxsize=1)
def _caption_xpath():
    from lxml.etree import XPath

    return XPath("//figcaption | //*[contains(translate(@class, 'CAPTION', 'caption'), 'caption')]")


def _text_of(el) -> str:
    return " ".join(el.itertext())


def link_keys(tree) -> set[str]:
    """Comparison keys of the texts (3+ words) of the page's links to other pages."""
    keys = set()
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:")):
            continue
        t = _text_of(a)
        if words(t) >= 3:
            keys.add(_key(t))
    return keys


def caption_keys(tree) -> set[str]:
    """Comparison keys of the page's image captions (at most 40 words each)."""
    keys = set()
    for el in _caption_xpath()(tree):
        t = _text_of(el)
        if t.strip() and (el.tag == "figcaption" or words(t) <= 40):
            keys.add(_key(t))
    return keys


def drop_dom_lines(text: str, tree) -> str:
    """``text`` (one paragraph a line) without link-teaser and caption lines of the page."""
    links, captions = link_keys(tree), caption_keys(tree)
    out = []
    for ln in text.split("\n"):
        k = _key(ln.lstrip("-•* "))
        if k and (k in links or k in captions):
            continue
        if k and words(k) <= 30 and sum(len(lk) for lk in links if lk in k) >= LINK_SHARE * len(k):
            continue
        out.append(ln)
    return "\n".join(out)


def extract_html(html, url: str | None = None, favor_recall: bool = False, favor_precision: bool = False,
                 metadata: bool = True) -> dict:
    """Main text and metadata of a page with trafilatura: text, title, author, date, url, sitename.

    ``html`` is the markup or a tree from :func:`_load_tree` (parsed once, reused).
    """
    import trafilatura

    if html is None:
        return {}
    opts = dict(TRAFILATURA_OPTIONS)
    if favor_recall:
        opts.update(favor_precision=False, favor_recall=True)
    if favor_precision:  # only to find the story's core (trim_to_core): the fast mode is enough
        opts.update(favor_precision=True, favor_recall=False, fast=True)
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=metadata, output_format="python",
        date_extraction_params={"extensive_search": False, "original_date": True},
        **opts,
    )
    if doc is None:
        return {}
    get = (lambda k: doc.get(k)) if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
    return {k: get(k) for k in ("text", "title", "author", "date", "url", "language", "sitename", "hostname")}


# htmldate's extensive search when meta tags, JSON-LD and the URL give no date: on the
# dev corpus (724 pages with a gold date) it adds 28 right and 11 wrong dates, but it
# sends text to dateparser with every locale, which costs about 20 s on the first page of
# a process and 0.15 s on each page after; off by default (the time stage infers a
# missing date from the text instead).
EXTENSIVE_DATE_FALLBACK = False


def page_date_extensive(html: str, url: str | None = None) -> dt.date | None:
    """The page's date from htmldate's extensive search (visible text, time elements, patterns).

    Used only when meta tags, JSON-LD and the URL give none and ``EXTENSIVE_DATE_FALLBACK``
    is on.
    """
    try:
        from htmldate import find_date

        found = find_date(html, url=url, extensive_search=True, original_date=True)
    except Exception:  # noqa: BLE001 - a date is a hint, never a reason to fail
        return None
    day = page_date(found)
    # htmldate turns a bare year into 1 January: in the extensive search that guess was
    # right for 3 of 40 pages of the dev corpus, so a 1 January found there is dropped
    if day is not None and (day.month, day.day) == (1, 1):
        return None
    return day


# separators between a headline and the site name in <title>
_TITLE_SEP = re.compile(r"\s+(?:\||-|–|—|•|·|::|»|«|›|‹|⋆|★|→|/|~)\s+|\s*\|\s*")
_GENERIC_AUTHOR = re.compile(r"^(?:admin\w*|\w*admin|administrator|name|human|author|autor|editor|user|guest|"
                             r"webmaster|unknown|anonymous|no author|none|null|posted|follow|datum|date)$", re.I)
_AUTHOR_PREFIX = re.compile(r"^(?:view all posts by|zeige alle beiträge von|all posts by|posts by|posted by|"
                            r"written by|words by|reported by|beitrag von|artikel von|zum profil von|by|von|par|por|"
                            r"di|autor(?:in)?|auteur|author|verfasser(?:in)?|责任编辑|編集|作者)(?:\s*[:：]\s*|\s+)", re.I)


def _squash(s: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", s).casefold())


def clean_title(title: str | None, sitename: str | None = None, hostname: str | None = None,
                headline: str | None = None) -> str | None:
    """A page title without the site name ("Talks resume | The Daily" → "Talks resume").

    The <title> part that names the site (its ``og:site_name`` or its host name) is
    dropped; when the page's headline (first line of the main text) is one part of the
    title, that part is the title.
    """
    if not title:
        return None
    title = _WS.sub(" ", title).strip()
    host_name = re.sub(r"^(?:www\d?|m|amp|mobile|news)\.", "", (hostname or "").lower())
    paren = re.match(r"^(.{10,}?)\s*\(([^()]{3,40})\)$", title)  # "Headline (site name)"
    if paren and host_name and (_squash(paren.group(2)) in _squash(host_name)
                                or _squash(host_name.rsplit(".", 1)[0]) in _squash(paren.group(2))):
        title = paren.group(1).strip()
    parts = [p.strip() for p in _TITLE_SEP.split(title) if p and p.strip()]
    if len(parts) < 2:
        return title or None
    if headline:
        hk = _squash(headline)
        for p in parts:
            if _squash(p) == hk and words(p) >= 2:
                return p
    site_keys = {k for k in (_squash(sitename or ""),) if k}
    host = (hostname or "").lower()
    host = re.sub(r"^(?:www\d?|m|amp|mobile|news)\.", "", host)
    host_key = _squash(host.rsplit(".", 1)[0]) if "." in host else _squash(host)

    def is_site(p: str) -> bool:
        k = _squash(p)
        if not k:
            return True
        if k in site_keys or any(k in sk or sk in k for sk in site_keys if len(sk) >= 4 and len(k) >= 4):
            return True
        return bool(host_key) and len(k) >= 4 and (k in host_key or host_key in k)

    # only the first or last part can be the site name
    if is_site(parts[-1]) and not is_site(parts[0]):
        kept = parts[:-1]
    elif is_site(parts[0]) and not is_site(parts[-1]):
        kept = parts[1:]
    else:
        return title
    # rebuild with the separators of the original title
    first, last = kept[0], kept[-1]
    start = title.find(first)
    end = title.rfind(last) + len(last)
    out = title[start:end].strip() if 0 <= start < end else " - ".join(kept)
    return out or title


def clean_author(author: str | None) -> str | None:
    """A byline without its label ("View all posts by X", "Autor: X"); None for placeholders."""
    if not author:
        return None
    names = []
    for part in re.split(r"\s*;\s*", _WS.sub(" ", str(author)).strip()):
        part = _AUTHOR_PREFIX.sub("", part).strip(" ,:|-–—")
        if not part or _GENERIC_AUTHOR.match(part) or not re.search(r"[^\W\d_]", part):
            continue
        if re.search(r"\b(?:said|says|wrote|on (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*)\b", part, re.I):
            continue
        if part not in names:
            names.append(part)
    return "; ".join(names) or None


_BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "br", "tr", "td", "th",
               "section", "article", "pre", "dd", "dt", "figcaption", "ul", "ol", "table"}
_DROP_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button",
              "iframe", "svg", "template", "select"]


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment, one paragraph per block element.

    Why: feed items and short snippets are too small for trafilatura's main-content
    heuristics (it returns nothing), yet their whole content is the story.
    """
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError, AssertionError):  # e.g. <html> with a head and no body
        return ""
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
    parts: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        line = _WS.sub(" ", "".join(buf)).strip()
        if line:
            parts.append(line)
        buf.clear()

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        block = tag.lower() in _BLOCK_TAGS
        if block:
            flush()
        if el.text and tag:
            buf.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            flush()

    walk(root)
    flush()
    return "\n".join(parts)


# pages larger than this have their scripts, styles, comments and inline data removed
# before extraction; what is still larger than MAX_PAGE_CHARS is refused (trafilatura
# takes minutes on tens of megabytes of markup: 52 MB of links took 287 s)
SHRINK_ABOVE = 1_000_000
MAX_PAGE_CHARS = 5_000_000
_HEAVY = re.compile(r"<(script|style|svg|noscript|template)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]{200,}")


def shrink_page(html: str, doc: str) -> str:
    """A large page without its scripts, styles, comments and inline data; raises TooLarge."""
    if len(html) <= SHRINK_ABOVE:
        return html
    html = _DATA_URI.sub("data:,", _HEAVY.sub(" ", html))
    if len(html) > MAX_PAGE_CHARS:
        raise TooLarge(doc, f"page too large to extract: {len(html) / 1e6:.1f} million characters of markup "
                            f"after removing scripts and styles (limit {MAX_PAGE_CHARS / 1e6:.0f} million)")
    return html


_WIDGET_TITLE = re.compile(r"\b(?:repl(?:y|ies)|comments?|kommentar\w*|antworten|log\ ?in|sign\ in|subscribe|"
                           r"newsletter|cookies?|share|teilen|abonn\w*|anmelden)\b", re.I)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def has_prose(text: str) -> bool:
    """True when some line reads as a sentence rather than a menu entry or a label.

    A line of 7+ words, or of 4+ words ending like a sentence, or 20+ characters of a
    script written without spaces (Chinese, Japanese, Korean, Thai).
    """
    for line in text.split("\n"):
        s = line.strip()
        n = words(s)
        if n >= 7 or (n >= 4 and re.search(r"[.!?。！？…\"”»)]$", s)) or len(_CJK.findall(s)) >= 20:
            return True
    return False


def clean(raw: RawDoc) -> CleanDoc:
    """Main text of a document without boilerplate, with title, byline, dateline, date, language.

    Raises :class:`~storyline.errors.EmptyDocument` when no text remains.
    """
    title, byline, url = raw.title, getattr(raw, "author", None), raw.url
    published, published_source, confidence = raw.published, None, None
    if raw.published is not None:
        published_source, confidence = "given", 1.0
    headline = None
    if raw.html is not None and (raw.text is None or not raw.text.strip()):
        html = shrink_page(raw.html, raw.source or raw.id)
        fragment = not _PAGE.search(html)
        tree = None if fragment else _load_tree(html)
        meta = {} if tree is None else extract_html(tree, raw.url)
        text = meta.get("text") or ""
        if TRIM_TO_CORE and trimmable(text):
            text = trim_to_core(text, extract_html(tree, raw.url, favor_precision=True, metadata=False).get("text") or "")
        if not text.strip() and tree is not None:  # a short page: trafilatura's recall mode
            text = (extract_html(tree, raw.url, favor_recall=True, metadata=False).get("text") or "")
        if not text.strip() and (fragment or len(html) < 20000):
            # a fragment (feed item) or a tiny page: its whole text is the story
            text = html_to_text(html)
        if not text.strip():
            raise EmptyDocument(raw.source or raw.id, "no main text found in the HTML page "
                                "(no body, or only navigation and page furniture)")
        # trafilatura gives one paragraph per line: use the blank-line convention of .txt
        if DOM_LINES and tree is not None:
            text = drop_dom_lines(text, tree)
        text = "\n\n".join(ln for ln in text.split("\n") if ln.strip())
        headline = text.split("\n\n", 1)[0]
        if not title:
            title = clean_title(meta.get("title"), meta.get("sitename"), meta.get("hostname"),
                                headline if is_headline(headline) else None)
            if title and _WIDGET_TITLE.search(title) and is_junk_line(title):
                title = None  # a comment form or widget heading taken for the title
        byline = byline or clean_author(meta.get("author"))
        url = url or meta.get("url") or None
        if published is None and not fragment:
            day = page_date(meta.get("date"))
            if day is not None:
                published, published_source, confidence = day, "page", 0.8
            elif EXTENSIVE_DATE_FALLBACK:
                day = page_date_extensive(html, url)
                if day is not None:
                    published, published_source, confidence = day, "page", 0.5
    else:
        text = raw.text or ""
        if not text.strip():
            raise EmptyDocument(raw.source or raw.id, "document has no text")

    result = post_clean(text, title)
    if raw.html is not None and title and result.text:
        # the page's headline (h1) opens trafilatura's text; it is the title, not story text
        head, _, rest = result.text.partition("\n\n")
        if rest.strip() and _key(head) == _key(title):
            result.text = rest.strip()
    if not result.text.strip():
        raise EmptyDocument(raw.source or raw.id, "no text left after removing boilerplate")
    if raw.html is not None and not has_prose(result.text):
        raise EmptyDocument(raw.source or raw.id, "no main text found in the HTML page (only navigation, "
                            "link lists or labels: no line reads as a sentence)")
    title = result.title or title
    if title is None and raw.html is None:
        first = result.text.split("\n\n", 1)
        if len(first) == 2 and is_headline(first[0]):
            title = first[0]
    if title:
        title = _WS.sub(" ", title).strip() or None
    dateline = find_dateline(result.text)
    if dateline and (published is None or (published_source == "page" and (published.month, published.day) == (1, 1))):
        # a dateline with its year; it also beats a page date of 1 January, which is
        # how a bare year found in the page comes out
        day = dateline_date(dateline)
        if day is not None and (published is None or day.year == published.year):
            published, published_source, confidence = day, "dateline", 0.7
    if published is None and url:
        # a story given as text with its URL (JSON Lines, feeds): "/2018/04/05/" is its day
        day = url_date(url)
        if day is not None:
            published, published_source, confidence = day, "url", 0.7
    return CleanDoc(
        id=raw.id,
        source=raw.source,
        text=result.text,
        title=title,
        byline=byline or result.byline,
        dateline=dateline,
        url=url,
        published=published,
        published_source=published_source,
        published_confidence=confidence,
        language=detect_language(result.text),
        content_hash=content_hash(result.text),
    )
