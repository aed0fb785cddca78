"""A fingerprint of the plan as returns see it, so a return made from an older plan is noticed.

``returns make`` writes it into each return's hidden sheet and the checker compares it with
today's plan: a different fingerprint means the plan changed after the return was made (a
warning; rows are still matched by action ID). Only what a return shows counts: areas,
sub-themes, actions and who reports or sees them. Officer emails, KPIs and risks do not.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata

from packbuilder.model import Plan


def _text(value: object) -> str:
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def plan_fingerprint(plan: Plan) -> str:
    """A short stable hash of the plan's areas, sub-themes and actions as returns show them."""
    content = {
        "areas": [[a.number, _text(a.title), a.lead] for a in plan.areas],
        "sub_themes": [[s.code, s.area, _text(s.title)] for s in plan.sub_themes],
        "actions": [
            [
                a.id,
                a.area,
                a.sub_theme,
                _text(a.text),
                _text(a.end_date.text),
                a.reporting_officer,
                list(a.other_officers),
            ]
            for a in plan.actions
        ],
    }
    encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:16]
