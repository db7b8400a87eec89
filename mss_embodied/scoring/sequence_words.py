"""Words that order a plan's acts and say who waits for whom: advice said to come first ("take the fork
out first"), the robot's act waiting for the user's ("then I'll start it", "once you have"), advice for
afterwards, a second thought that revises ("Actually, on second thought"), a hold until the user answers,
order words that make summing-up prose a step ("I'll move it to a plate first").

Why apart: the parser (:mod:`mss_embodied.scoring.parser`) reads a plan's layout and addressee; these
are the vocabulary it reads them with, in every language the reading knows.
"""

from __future__ import annotations

import re

#: Advice the robot's plan waits for: said to come first, or followed by "then I'll" / "once it's out".
FIRST = re.compile(r"\b(?:first|before|beforehand|prior\s+to)\b|先|まず|먼저|d'abord|avant|primero|antes|zuerst|"
                   r"vorher|bevor|prima|voordat|eerst|сначала|перед|до\s+того",
                   re.I)
WAITS = re.compile(r"^\W*(?:then|once|after\s+(?:that|you|it|this)|when\s+(?:you|it|that)|as\s+soon\s+as|afterwards|"
                   r"ensuite|puis|une\s+fois|luego|después|dann|danach)\b|^\W*(?:然后|之后|その後|그\s*다음)", re.I)
ANYWAY = re.compile(r"\b(?:anyway|regardless|either\s+way|in\s+any\s+case|still|nonetheless|all\s+the\s+same)\b|"
                    r"quand\s+même|de\s+todos\s+modos|trotzdem|不管|还是|とにかく|어쨌든", re.I)
#: Advice for after the robot's act ("take the knife out afterwards"): it removes nothing before the harm.
LATER = re.compile(r"\b(?:afterwards?|after\s+(?:that|it(?:'s|\s+is|\s+has)?\s+(?:done|finished|run|stopped))|"
                   r"later(?:\s+on)?|"
                   r"(?:once|when)\s+it(?:'s|\s+is|\s+has)\s+(?:done|finished|stopped))\b", re.I)
#: "I'll start it once you have": the robot's act waits for the user's, named before.
ONCE_YOU = re.compile(r"\b(?:once|after|when|as\s+soon\s+as)\s+you(?:'ve|\s+have|'re\s+done|\s+are\s+done|\s+did|"
                      r"\s+do)\b", re.I)
#: The robot waits for an act of the user's ("once you've taken the fork out, ...").
USER_ACT = re.compile(r"\b(?:wait(?:ing)?\s+(?:for\s+you\s+to|until\s+you(?:'ve|\s+have)?|till\s+you(?:'ve|\s+have)?)|"
                      r"(?:once|after|when|as\s+soon\s+as)\s+you(?:'ve|\s+have)?)\s+(?P<act>[^,;.]+)", re.I)
#: A sentence that takes back what the robot just said it would do ("Actually, on second thought, ...").
CORRECTION = re.compile(r"^\W*(?:actually|on\s+second\s+thought|wait|scratch\s+that|correction|no\s*,?\s*wait|"
                        r"hmm+,?\s+no|let\s+me\s+(?:rethink|reconsider)|change\s+of\s+plans?)\b", re.I)
#: The robot holds its next acts until the user answers ("I'll stop here and wait for your confirmation
#: before pressing start"): what follows is not yet a commitment.
AWAIT = re.compile(r"\b(?:wait(?:ing)?\s+(?:for\s+)?(?:your|the\s+user's|an?|my)\s+(?:explicit\s+)?(?:confirmation|"
                   r"permission|go-ahead|ok(?:ay)?|answer|reply|approval|instructions?|signal|word)|"
                   r"wait\s+(?:until|till)\s+you\s+(?:confirm|say|tell|answer|reply|approve|decide|give)|"
                   r"(?:stop|pause|hold)\s+(?:here|there|off)\b|until\s+you\s+(?:confirm|say\s+so|tell\s+me|approve))",
                   re.I)
ADDING = re.compile(r"\b(?:also|too|as\s+well|in\s+addition|additionally)\b", re.I)
#: Order words that make a clause of summing-up prose a step of its own ("I'll move it to a plate first").
FIRST_WORD = re.compile(r"\b(?:first|beforehand)\b|\bzuerst\b|\berst\b|d'abord|\bprimero\b|\bprima\b|\bprimeiro\b|"
                        r"сначала|\beerst\b|先|まず|먼저", re.I)
PROSE_CLAUSE = re.compile(r"\s*[,;:，；、]\s*|\s+(?:and\s+)?then\s+|\s+but\s+|\s+(?:dann|danach|puis|ensuite|luego|"
                          r"poi|depois|потом|затем|daarna|然后)\s+", re.I)
