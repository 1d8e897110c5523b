"""Recognise time expressions in text with precompiled rules (HeidelTime-style).

Why rules and not spaCy's DATE/TIME entities: those spans are noisy (they swallow
prepositions, miss "the previous day", split ranges) and carry no type or value. Each rule
is a named regex; its named groups are what the normaliser reads. Overlaps are resolved
by keeping the longest match (ties: rule order), so "Friday, Oct. 23, 1998" wins over
"Friday" and "Oct. 23".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .datewords import (APPROX, DAYNUM, MONTH, NUMBER, ORD, PART, SEASON, UNIT, WEEKDAY,
                      YEAR4)


@dataclass
class Candidate:
    """One recognised expression: span, rule name and its lower-cased named groups."""

    start: int
    end: int
    rule: str
    groups: dict
    text: str


_B = r"(?<![\w$£€/.-])"  # no word, currency or date-ish character before
_E = r"(?![\w])"

_MODPOS = (r"(?:early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of"
           r"|the\s+first\s+half\s+of|the\s+second\s+half\s+of|the\s+rest\s+of|the\s+remainder\s+of"
           r"|the\s+close\s+of|the\s+turn\s+of|the\s+spring\s+of|the\s+summer\s+of|the\s+fall\s+of"
           r"|the\s+winter\s+of|the\s+autumn\s+of|sometime\s+in|sometime)")
_REL = (r"(?:this\s+past|this\s+coming|the\s+past|the\s+last|the\s+next|the\s+coming|the\s+previous"
        r"|the\s+following|the\s+current|the\s+same|the\s+latest|the\s+prior|last|this|next|that|coming"
        r"|past|previous|following|current|latest|same)")

RULES: list[tuple[str, str]] = [
    ("iso", r"(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:[T ](?P<hh>[0-2]\d):(?P<mi>[0-5]\d))?"),
    ("slash", r"(?P<m>[01]?\d)/(?P<d>[0-3]?\d)/(?P<y>\d{4}|\d{2})"),
    # ranges: "Jan. 29-31", "January 29 to 31, 2026", "from Jan 29 to Feb 2", "between March 3 and 5"
    ("md_range", r"(?:(?P<pre>from|between)\s+)?(?P<core>(?P<mon>" + MONTH + r")\s+(?P<d>" + DAYNUM + r")"
     r"\s*(?P<conn>-|–|—|to|through|till|until|and)\s*(?:(?P<mon2>" + MONTH + r")\s+)?(?P<d2>" + DAYNUM + r")"
     r"(?:,?\s+(?P<y>" + YEAR4 + r"))?)"),
    ("dm_range", r"(?:(?P<pre>from|between)\s+)?(?P<core>(?P<d>" + DAYNUM + r")\s*(?P<conn>-|–|to|and)\s*"
     r"(?P<d2>" + DAYNUM + r")\s+(?P<mon>" + MONTH + r")(?:,?\s+(?P<y>" + YEAR4 + r"))?)"),
    # "Friday, Oct. 23, 1998", "Oct. 23", "April 5th, 2018", "the 5th of April"
    ("mdy", r"(?:(?P<mdrel>last|this\s+past|this\s+coming|next)\s+)?"
     r"(?:(?P<wd>" + WEEKDAY + r")(?:,\s*|\s+)(?:the\s+)?)?(?P<mon>" + MONTH + r")\s+(?:the\s+)?(?P<d>"
     + DAYNUM + r")(?!\d)(?!:\d)(?:(?:,\s*|\s+)(?P<y>" + YEAR4 + r"|2[1-9]\d\d|'\d\d)(?!\d))?"),
    # "the week of March 6"
    ("week_of", r"the\s+week\s+of\s+(?P<mon>" + MONTH + r")\s+(?P<d>" + DAYNUM + r")(?!\d)"
     r"(?:,?\s+(?P<y>" + YEAR4 + r"))?"),
    ("dmy", r"(?:(?P<wd>" + WEEKDAY + r")(?:,\s*|\s+))?(?:the\s+)?(?P<d>" + DAYNUM + r")(?:\s+of)?\s+(?P<mon>"
     + MONTH + r")(?:,?\s+(?P<y>" + YEAR4 + r"))?"),
    # "July 2024", "early November", "last April", "mid-March", "June last year"
    ("month", r"(?:(?P<mod>" + _MODPOS + r")(?:\s+|-))?(?:(?P<rel>this\s+past|this\s+coming|last|this|next"
     r"|past|coming|each|every)\s+)?(?P<mon>" + MONTH + r")(?:(?:,\s*|\s+)(?:of\s+)?(?P<y>" + YEAR4
     + r"|'\d\d)|\s+(?P<yrel>last|this|next)\s+year)?"),
    ("season", r"(?:(?P<mod>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+middle\s+of)(?:\s+|-))?"
     r"(?:(?P<rel>this\s+past|this\s+coming|the\s+past|the\s+coming|the|last|this|next|that|every|each)\s+)?"
     r"(?:(?P<mod2>early|late)\s+)?(?P<season>" + SEASON + r")(?:\s+(?:of\s+)?(?P<y>" + YEAR4 + r"))?"),
    # financial quarters and halves: "third-quarter", "the 1988 third quarter", "the latest quarter"
    ("quarter", r"(?:(?P<det>the|its|their|this|that|last\s+year's|next\s+year's|this\s+year's|a|an)\s+)?"
     r"(?:(?P<qmod>(?:latest|current|previous|prior|comparable|corresponding|same|year-ago|year-earlier|"
     r"fiscal|just-ended|just\s+ended|most\s+recent|recent|flat|last|final|coming|next|year-before)"
     r"(?:[\s-]+(?:latest|current|previous|prior|comparable|corresponding|same|year-ago|year-earlier|fiscal"
     r"|year-before))*)[\s-]+)?"
     r"(?:(?P<qy>" + YEAR4 + r")\s+)?(?:(?P<qord>" + ORD + r")[\s-]+(?:fiscal[\s-]+)?)?(?P<qunit>quarter|half)"
     r"(?:\s+(?P<qago>a\s+year\s+(?:ago|earlier)))?"
     r"(?:\s+of\s+(?:(?:the\s+)?(?:fiscal\s+)?(?:year\s+)?)?(?P<qy2>" + YEAR4 + r"|this\s+year|next\s+year|last\s+year))?"),
    ("fiscal", r"(?:(?P<det>the|its|their|this|that)\s+)?(?:(?P<fmod>current|latest|previous|prior|next|last|"
     r"coming|year-earlier|year-ago|new|past|same|full)\s+)?(?P<fis>fiscal)(?:[\s-]+year)?(?:\s+(?P<fy>"
     + YEAR4 + r"|'?\d\d)(?!\d))?"),
    ("decade", r"(?:the\s+)?(?:(?P<mod>early|mid|late)(?:\s+|-))?(?:(?P<dec>(?:1[5-9]|20)\d0)'?s"
     r"|'(?P<dec2>\d0)s|(?P<decw>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))"),
    ("century", r"(?:the\s+)?(?:(?P<mod>early|mid|late)(?:\s+|-))?(?P<ord>\d{1,2}(?:st|nd|rd|th)|first|second|"
     r"third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|"
     r"fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first)[\s-]+century"),
    ("year", r"(?:(?P<mod>" + _MODPOS + r")(?:\s+|-))?(?:(?P<det>the)\s+)?(?P<y>" + YEAR4 + r")(?!,\d)(?!\.\d)"
     r"(?:\s+(?P<ysuf>period|season|election|elections|(?:fiscal\s+)?year|or\s+later|and\s+beyond))?"),
    # spelled-out years in transcripts: "nineteen ninety-seven", "the year two thousand"
    ("year_words", r"(?:the\s+year\s+)?(?P<yw>(?:nineteen|eighteen)\s+(?:hundred\s+(?:and\s+)?)?"
     r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
     r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:one|two|three|four|five|six|seven|"
     r"eight|nine))?|o[-\s](?:one|two|three|four|five|six|seven|eight|nine))"
     r"|two\s+thousand(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten))?)"),
    ("post_year", r"(?P<pp>pre|post)-(?P<y>" + YEAR4 + r")"),
    # "1990-91", "the 2025-26 fiscal year", "2010 to 2015"
    ("year_range", r"(?P<y>" + YEAR4 + r")\s*(?:-|–|/)\s*(?P<y2>" + YEAR4 + r"|\d\d)(?![\d%])"
     r"(?:\s+(?P<ysuf>fiscal\s+year|financial\s+year|season|school\s+year|academic\s+year))?"),
    # business shorthand: "FY2025", "FY 25", "Q3 2025", "3Q25", "H1 2026"
    ("fyq", r"(?:FY\s?(?P<fy>" + YEAR4 + r"|\d\d)|(?P<q>Q[1-4]|[1-4]Q)(?:\s+|-|\s*')?(?P<qy>" + YEAR4 + r"|\d\d)?"
     r"|(?P<h>H[12])(?:\s+|-)(?P<hy>" + YEAR4 + r"))"),
    ("time", r"(?:(?P<tmod>about|around|approximately|shortly\s+after|shortly\s+before|just\s+after|"
     r"just\s+before|exactly|roughly|some)\s+)?(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*"
     r"(?P<ampm>a\.\s?m\.?|p\.\s?m\.?|am(?![\w])|pm(?![\w])|o'clock|in\s+the\s+(?:morning|afternoon|evening))"
     r"(?:\s*(?P<tz>[ECMP][SD]T|GMT|UTC)(?![\w]))?"
     r"(?:(?:,\s*|\s+)(?P<wd>" + WEEKDAY + r"|today|yesterday|tomorrow)(?![\w]))?"
     r"(?:(?:,\s*|\s+)(?P<mon>" + MONTH + r")\s+(?P<d>" + DAYNUM + r"))?"),
    ("time24", r"(?P<prep>at|around|about|by|until|till|before|after|from|since)\s+(?P<core>(?P<h>[01]?\d|2[0-3])"
     r"[:](?P<mi>[0-5]\d)(?:\s*\(?(?P<tz>local\s+time|[ECMP][SD]T|GMT|UTC|hrs|hours|[A-Z]{3}\s+time)\)?)?)"),
    ("noon", r"(?:(?P<tmod>about|around|shortly\s+after|shortly\s+before|just\s+after|just\s+before)\s+)?"
     r"(?P<noon>noon|midnight|midday|mid-afternoon|mid\s+afternoon|mid-morning|dawn|dusk|daybreak)"
     r"(?:(?:,\s*|\s+)(?P<wd>" + WEEKDAY + r"|today|yesterday|tomorrow)(?![\w]))?"),
    # weekdays: "Friday", "last Tuesday", "Wednesday night", "early Tuesday"
    ("weekday", r"(?:(?P<wmod>this\s+coming|this\s+past|the\s+previous|the\s+following|the\s+next|the\s+same|"
     r"last|this|next|coming|past|early|late|earlier|later|that)\s+)?(?P<wd>" + WEEKDAY + r")"
     r"(?:\s+(?P<part>" + PART + r"))?"),
    ("weekdays", r"(?:(?P<sq>every|each|most|on)\s+)?(?P<wdpl>mondays|tuesdays|wednesdays|thursdays|fridays|"
     r"saturdays|sundays)(?:\s+(?P<part>mornings|afternoons|evenings|nights))?"),
    # today / yesterday / tonight / this morning / last night
    ("deictic", r"(?:(?P<mod>early|late|earlier|later)\s+)?(?P<w>today|yesterday|tomorrow|tonight|overnight)"
     r"(?:(?:'s)?\s+(?P<part>" + PART + r"))?"),
    ("partofday", r"(?:(?P<mod>early|late|earlier|later)\s+)?(?P<w>this|last|the|that|tomorrow|yesterday)\s+"
     r"(?P<part>" + PART + r")"),
    ("ref", r"(?P<ref>right\s+now|just\s+now|now|currently|nowadays|these\s+days|at\s+present|the\s+present"
     r"|presently|at\s+the\s+moment|this\s+time|recently|more\s+recently|most\s+recently|lately|previously"
     r"|formerly|in\s+the\s+past|the\s+past|the\s+near\s+future|the\s+distant\s+future|the\s+future|future"
     r"|the\s+near\s+term|the\s+short\s+term|the\s+long\s+term|the\s+long\s+run|the\s+short\s+run"
     r"|the\s+medium\s+term|near-term|short-term|long-term|soon|as\s+soon\s+as\s+possible|once"
     r"|current|recent|former|earlier|later|a\s+later\s+date|some\s+point|the\s+time|at\s+the\s+time"
     r"|then|meanwhile|the\s+meantime|immediately|yet|to\s+date|so\s+far|until\s+now)"),
    # "last week", "earlier this month", "later this year", "the next year", "that day"
    ("relunit", r"(?:(?P<pre>early|earlier|late|later|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of"
     r"|the\s+middle\s+of|the\s+rest\s+of|the\s+remainder\s+of|the\s+balance\s+of|sometime|some\s+time|"
     r"the\s+first\s+half\s+of|the\s+second\s+half\s+of)\s+(?:in\s+)?)?"
     r"(?P<rel>" + _REL + r")\s+(?P<u>week|weekend|month|year|decade|century|day|night|quarter|time)(?![\w-])"),
    ("the_unit", r"(?:(?P<pre>early|earlier|late|later|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of"
     r"|the\s+middle\s+of|the\s+rest\s+of|the\s+remainder\s+of)\s+(?:in\s+)?)?"
     r"(?P<det>the)\s+(?:(?P<full>full|whole|entire|calendar)\s+)?(?P<u>week|weekend|month|year|day|decade|century)"
     r"(?![\w-])"),
    ("yearend", r"(?:(?P<det>the|this|last|next)\s+)?(?:(?P<around>around)\s+)?(?P<ye>year[\s-]end|year's\s+end|"
     r"end\s+of\s+the\s+year|year-ago|year-earlier|year\s+ago|(?:a\s+)?year\s+before)"
     r"(?:\s+(?P<pu>period|quarter|level|levels|results|figures|month))?"),
    # financial "the latest period", "the comparable period"
    ("period", r"(?P<det>the|that|this)\s+(?P<pmod>latest|current|recent|most\s+recent|comparable|corresponding|same"
     r"|year-ago|year-earlier|year-before|prior-year|previous|prior)(?:\s+(?P<pmod2>year-ago|year-earlier))?\s+period"
     r"(?:\s+(?P<plast>last\s+year|a\s+year\s+(?:ago|earlier)))?"),
    # holidays
    ("holiday", r"(?:(?P<rel>last|this|next|this\s+past|this\s+coming)\s+)?(?P<hol>thanksgiving(?:\s+day)?|"
     r"christmas\s+eve|christmas(?:\s+day)?|new\s+year's\s+eve|new\s+year's(?:\s+day)?|election\s+day|"
     r"independence\s+day|(?:the\s+)?fourth\s+of\s+july|memorial\s+day|labor\s+day|labour\s+day|halloween|"
     r"valentine's\s+day|easter\s+week|easter(?:\s+sunday)?|good\s+friday|veterans\s+day|boxing\s+day)"
     r"(?:,?\s+(?P<y>" + YEAR4 + r"))?"),
    # "the day before", "the previous day", "the next day", "the following week", "that same day"
    ("anaday", r"(?P<ana>the\s+day\s+before|the\s+day\s+after|the\s+next\s+day|the\s+following\s+day"
     r"|the\s+previous\s+day|the\s+prior\s+day|the\s+same\s+day|that\s+same\s+day|the\s+next\s+morning"
     r"|the\s+following\s+morning|the\s+previous\s+night|the\s+night\s+before|the\s+eve|the\s+day\s+before"
     r"\s+yesterday|the\s+day\s+after\s+tomorrow|that\s+night|that\s+morning|that\s+afternoon|that\s+evening)"),
    # durations, optionally turned into dates by "ago", "earlier", "later", "from now"
    ("duration", r"(?:(?P<approx>" + APPROX + r")\s+)?(?:(?P<det>the|its|their|his|her|our|a|an|each\s+of\s+the)\s+)?"
     r"(?:(?P<rel>past|last|next|first|coming|following|previous|final|latest|remaining|prior|ensuing|"
     r"year-earlier|year-ago|comparable|same|"
     r"preceding|initial|same|few|several|recent|succeeding)\s+)?"
     r"(?:(?P<num>" + NUMBER + r")(?:\s+or\s+(?:so|more|two|three|\d+))?(?:\s*(?:-|to|or)\s*(?P<num2>\d+|one|two|three|four|five|six|"
     r"seven|eight|nine|ten|twelve))?)"
     r"(?:\s+(?P<adj>more|additional|full|straight|consecutive|long|trading|business|calendar|working|"
     r"school|fiscal|extra))?[\s-]+(?P<unit>" + UNIT + r")(?P<pl>s)?(?P<old>-old|-long|\s+old|\s+long)?"
     r"(?:\s+or\s+so(?=\s+(?:ago|earlier|later)))?"
     r"(?:\s+(?P<ago>ago|earlier|later|from\s+now|hence|back|(?:before|afterwards|after)(?=\s*[.,;:)\"'])"
     r"|on|running|or\s+so|and\s+a\s+half))?"),
    ("bare_units", r"(?:(?P<mod>recent|coming|past|the\s+past|the\s+coming|the\s+next|the\s+last|the\s+first|"
     r"the\s+early|the\s+final|the\s+following|the\s+previous|the\s+preceding|future|previous|several|many|"
     r"the)\s+)?(?P<unit>second|minute|hour|day|week|month|quarter|year|decade|centurie|weekend)s"
     r"(?P<or>\s+or\s+(?:days|weeks|months|years))?(?:\s+(?P<ago>ago|earlier|later|ahead))?"),
    ("unit_long", r"(?P<unit>hour|day|week|month|year|decade|centurie|century)(?P<pl>s)?-long"),
    ("set", r"(?P<q>every|each|per|a|an|once\s+a|twice\s+a|(?:two|three|four|five|\d+)\s+times\s+a)\s+"
     r"(?:other\s+)?(?:(?P<sn>\d+|two|three|four|five|six|ten|twelve|few)\s+)?(?P<su>second|minute|hour|day|night|"
     r"week|weekend|month|quarter|year|decade|morning|evening|afternoon|summer|winter|spring|fall|" +
     WEEKDAY[3:-1] + r"|" + MONTH[3:-1] + r")s?"),
    ("setword", r"(?P<sw>daily|weekly|monthly|yearly|annually|hourly|quarterly|nightly|biweekly|bimonthly|"
     r"semiannually|semi-annually|annual|biannually|year-round|year\s+round|day\s+after\s+day"
     r"|year\s+after\s+year|night\s+after\s+night|week\s+after\s+week|every\s+day|each\s+day|"
     r"from\s+time\s+to\s+time|once\s+again)"),
]

_FLAGS = re.IGNORECASE
COMPILED: list[tuple[str, re.Pattern]] = [(name, re.compile(_B + pat + _E, _FLAGS)) for name, pat in RULES]

# rule name -> priority when two matches have the same length (lower wins)
PRIORITY = {name: i for i, (name, _p) in enumerate(RULES)}


# Speed: a rule is only tried where a word that can begin it starts (instead of letting
# the regex engine try every character). "#d" stands for any word starting with a digit.
_W_MONTH = "january february march april may june july august september october november december " \
           "jan feb mar apr jun jul aug sept sep oct nov dec"
_W_WD = "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri sat sun"
_W_NUM = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen " \
         "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred dozen " \
         "a an couple few half several many some #d"
_W_MODPOS = "early mid late the sometime"
_W_REL = "this last next that coming past previous following current latest same the"
_W_ORD = "first second third fourth #d"
_STARTS: dict[str, str] = {
    "iso": "#d", "slash": "#d",
    "md_range": "from between " + _W_MONTH,
    "dm_range": "from between #d",
    "mdy": "last this next " + _W_WD + " " + _W_MONTH,
    "week_of": "the",
    "dmy": _W_WD + " the #d",
    "month": _W_MODPOS + " this last next past coming each every " + _W_MONTH,
    "season": "early mid late the this last next that every each spring summer fall autumn winter",
    "quarter": "the its their this that last next this a an latest current previous prior comparable "
               "corresponding same year fiscal just most recent flat first final coming quarter half " + _W_ORD,
    "fiscal": "the its their this that current latest previous prior next last coming year new past same full fiscal",
    "decade": "the early mid late #d ' twenties thirties forties fifties sixties seventies eighties nineties",
    "century": "the early mid late #d first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
               "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth twenty",
    "year": _W_MODPOS + " #d",
    "post_year": "pre post",
    "year_range": "#d",
    "fyq": "fy q h #d",
    "year_words": "the nineteen eighteen two",
    "time": "about around approximately shortly just exactly roughly some #d",
    "time24": "at around about by until till before after from since",
    "noon": "about around shortly just noon midnight midday mid dawn dusk daybreak",
    "weekday": "this the last next coming past early late earlier later that " + _W_WD,
    "weekdays": "every each most on mondays tuesdays wednesdays thursdays fridays saturdays sundays",
    "deictic": "early late earlier later today yesterday tomorrow tonight overnight",
    "partofday": "early late earlier later this last the that tomorrow yesterday",
    "ref": "right just now currently nowadays these at the presently this recently more most lately previously "
           "formerly in future near short long soon as once current recent former earlier later a some then "
           "meanwhile immediately yet to so until",
    "relunit": "early earlier late later mid the sometime some by " + _W_REL,
    "the_unit": "early earlier late later the by",
    "yearend": "the this last next around year end a",
    "anaday": "the that",
    "period": "the that this",
    "holiday": "last this next thanksgiving christmas new election independence the fourth memorial labor labour "
               "halloween valentine easter good veterans boxing",
    "duration": "about around approximately nearly almost roughly some more less fewer at up no only just over "
                "under within another an a well barely upwards the its their his her our each past last next "
                "first coming following previous final latest remaining prior ensuing preceding initial same few "
                "several recent succeeding year comparable " + _W_NUM,
    "bare_units": "recent coming past the future previous several many seconds minutes hours days weeks months "
                  "quarters years decades centuries weekends",
    "unit_long": "hour hours day days week weeks month months year years decade decades century centuries",
    "set": "every each per a an once twice two three four five #d",
    "setword": "daily weekly monthly yearly annually hourly quarterly nightly biweekly bimonthly semiannually "
               "semi annual biannually year day night week every each from once",
}
_BY_WORD: dict[str, list[tuple[str, re.Pattern]]] = {}
for _name, _rx in COMPILED:
    for _w in _STARTS[_name].split():
        _BY_WORD.setdefault(_w, []).append((_name, _rx))
_WORD = re.compile(r"[A-Za-z]+|\d+|'(?=\d)")


def scan(text: str) -> list[Candidate]:
    """All rule matches in ``text`` (overlapping); validation and selection come later."""
    out: list[Candidate] = []
    by_word = _BY_WORD
    for w in _WORD.finditer(text):
        word = w.group()
        key = "#d" if word[0].isdigit() else word.lower()
        rules = by_word.get(key)
        if not rules:
            continue
        pos = w.start()
        for name, rx in rules:
            m = rx.match(text, pos)
            if m is None:
                continue
            out.append(_candidate(m, name, text))
    return out


def _candidate(m: re.Match, name: str, text: str) -> Candidate:
    """A rule's match as a candidate: its "core" group when it has one, groups lower-cased."""
    gd = {k: v.lower() for k, v in m.groupdict().items() if v is not None}
    start, end = m.start(), m.end()
    if "core" in gd:
        start, end = m.start("core"), m.end("core")
    gd["_raw"] = {k: v for k, v in m.groupdict().items() if v is not None}
    return Candidate(start, end, name, gd, text[start:end])


def scan_slow(text: str) -> list[Candidate]:
    """Reference implementation of :func:`scan` (every rule over the whole text); for tests."""
    out: list[Candidate] = []
    for name, rx in COMPILED:
        for m in rx.finditer(text):
            out.append(_candidate(m, name, text))
    return out


def select(cands: list[Candidate]) -> list[Candidate]:
    """Keep non-overlapping candidates: longest first, ties by rule order."""
    cands = sorted(cands, key=lambda c: (-(c.end - c.start), PRIORITY[c.rule], c.start))
    taken: list[tuple[int, int]] = []
    kept: list[Candidate] = []
    for c in cands:
        if any(c.start < e and s < c.end for s, e in taken):
            continue
        taken.append((c.start, c.end))
        kept.append(c)
    kept.sort(key=lambda c: c.start)
    return kept
