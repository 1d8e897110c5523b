"""Word lists and regex fragments for time expressions (data, no logic).

Why a separate module: the recogniser and the normaliser must agree on the same words
(month names, number words, units); keeping them here makes both small and testable.
"""
from __future__ import annotations

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
                "overnight": "NI", "midday": "MI", "mid-afternoon": "AF", "mid afternoon": "AF"}

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100,
    "dozen": 12, "a dozen": 12, "a": 1, "an": 1, "one and a half": 1.5,
    "a couple of": 2, "a couple": 2, "couple of": 2, "a half": 0.5, "half a": 0.5, "half": 0.5,
}
# vague quantities: value unknown ("X" in TIMEX3)
VAGUE_NUMBERS = {"a few", "few", "several", "some", "many", "the", "a number of", "numerous"}

ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8,
    "ninth": 9, "9th": 9, "tenth": 10, "10th": 10, "eleventh": 11, "twelfth": 12,
    "last": -1, "final": -1, "fifteenth": 15, "twentieth": 20, "twenty-first": 21,
}

# unit word -> TIMEX3 duration letter and whether it is a time (PT) unit
UNITS = {
    "second": ("S", True), "minute": ("M", True), "hour": ("H", True),
    "day": ("D", False), "night": ("D", False), "week": ("W", False), "weekend": ("WE", False),
    "fortnight": ("2W", False), "month": ("M", False), "quarter": ("Q", False),
    "year": ("Y", False), "decade": ("DE", False), "century": ("CE", False),
    "centurie": ("CE", False), "millennium": ("ML", False), "millennia": ("ML", False),
}

_NUMW = (r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
         r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
         r"|one|two|three|four|five|six|seven|eight|nine|ten|a\s+hundred|hundred|a\s+dozen|dozen")
NUMBER = (r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:\s+1/2|\s+and\s+(?:a\s+)?half)?|(?:" + _NUMW + r")(?:\s+and\s+(?:a\s+)?half)?"
          r"|a\s+couple\s+of|a\s+couple|a\s+few|a\s+half|half\s+an?|a\s+number\s+of|several|few|many|some|an?)")
UNIT = (r"(?:second|minute|hour|day|night|weekend|week|fortnight|month|quarter|year|decade"
        r"|century|centurie|millennium|millennia)")
MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
         r"|jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept\.?|sep\.?|oct\.?|nov\.?|dec\.?)")
WEEKDAY = (r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
           r"|mon\.|tue\.|tues\.|wed\.|thu\.|thurs\.|fri\.|sat\.|sun\.)")
SEASON = r"(?:spring|summer|fall|autumn|winter)"
DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR4 = r"(?:1[5-9]\d\d|20\d\d)"
PART = r"(?:morning|afternoon|evening|night)"
ORD = (r"(?:first|second|third|fourth|1st|2nd|3rd|4th)")
APPROX = (r"(?:about|around|approximately|nearly|almost|roughly|some|more\s+than|less\s+than|fewer\s+than"
          r"|at\s+least|at\s+most|up\s+to|no\s+more\s+than|no\s+less\s+than|only|just|over|under"
          r"|within|another|an\s+additional|an\s+extra|a\s+further|a\s+full|well\s+over|barely|upwards\s+of)")
