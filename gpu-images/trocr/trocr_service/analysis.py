"""Compare what was read with the letter the child was asked to write, and say it kindly, in French."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from .letter_case import same_letter

ACCENTS_ABOVE = set("àâäéèêëîïôöùûüÿ")
CEDILLA = set("ç")
CONFIDENT = 0.6

# (target, what was read) → the usual confusion of young writers, and what to say about it.
CONFUSIONS: Dict[Tuple[str, str], str] = {
    ("a", "o"): "Presque ! N'oublie pas la petite barre du a.",
    ("a", "d"): "Presque ! La barre du a s'arrête en haut du rond.",
    ("b", "d"): "Attention au sens : le ventre du b est à droite de la barre.",
    ("d", "b"): "Attention au sens : le ventre du d est à gauche de la barre.",
    ("p", "q"): "Attention au sens : le ventre du p est à droite de la barre.",
    ("q", "p"): "Attention au sens : le ventre du q est à gauche de la barre.",
    ("m", "n"): "Presque ! Le m a deux ponts, pas un seul.",
    ("n", "m"): "Presque ! Le n n'a qu'un seul pont.",
    ("n", "u"): "Attention, le n a son pont en haut.",
    ("u", "n"): "Attention, le u est ouvert en haut.",
    ("e", "c"): "Presque ! Le e a une petite boucle au milieu.",
    ("e", "l"): "Presque ! La boucle du e est toute petite.",
    ("l", "e"): "Presque ! La boucle du l monte bien haut.",
    ("t", "f"): "Presque ! Le t ne descend pas sous la ligne et sa barre le croise.",
    ("f", "t"): "Presque ! Le f monte haut et descend sous la ligne.",
}


@dataclass(frozen=True)
class Reading:
    """One region as read: text, confidence, box, and the marks the detector saw around it."""

    text: str
    confidence: float
    bbox: Tuple[int, int, int, int]
    marks_above: int = 0
    marks_below: int = 0


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def clean_text(raw: str) -> str:
    """TrOCR was trained on sentences: drop the punctuation and quotes it adds around a lone letter."""
    return "".join(c for c in unicodedata.normalize("NFC", raw) if c.isalpha())


def _accent_confirmed(target: str, readings: List[Reading]) -> Optional[bool]:
    """None when the target has no accent; else whether each accented letter has its mark. Only a letter
    the model read bare (e for é) is completed by the detected mark; one it read with an accent is
    what it read."""
    if len(readings) != len(target) or not any(c in ACCENTS_ABOVE | CEDILLA for c in target.lower()):
        return None
    for letter, reading in zip(target.lower(), readings):
        read = reading.text.lower()
        if read != strip_accents(read):
            if read != letter:
                return False
            continue
        if letter in ACCENTS_ABOVE and reading.marks_above == 0:
            return False
        if letter in CEDILLA and reading.marks_below == 0:
            return False
    return True


def _name(target: str) -> str:
    return f"un {target}" if len(target) == 1 else f"« {target} »"


def analyze(target: str, readings: List[Reading]) -> Dict[str, object]:
    """The contract's analysis: target, recognized, match, confidence (0..1) and one sentence of advice."""
    recognized = "".join(r.text for r in readings)
    confidence = sum(r.confidence for r in readings) / len(readings) if readings else 0.0

    def result(match: bool, advice: str, shown: str = recognized) -> Dict[str, object]:
        return {"target": target, "recognized": shown, "match": match,
                "confidence": round(min(1.0, max(0.0, confidence)), 4), "advice": advice}

    if not recognized:
        return result(False, "Je n'ai rien vu. Écris la lettre plus grande.")

    exact = len(recognized) == len(target) and all(same_letter(t, r) for t, r in zip(target, recognized))
    if exact:
        if target.lower() in ("i", "j") and len(readings) == 1 and readings[0].marks_above == 0:
            return result(True, f"C'est bien {_name(target)}, n'oublie pas son point.")
        if confidence < CONFIDENT:
            return result(True, f"C'est bien {_name(target)}, essaie de le tracer encore plus net.")
        return result(True, f"Bravo, c'est bien {_name(target)} !")

    # TrOCR's vocabulary rarely has accents: the letter it read plus the detector's mark is the accent.
    same_base = strip_accents(recognized).lower() == strip_accents(target).lower()
    # The model read an accent, and not the target's (é for è): that reading stands, and it is wrong.
    other_accent = same_base and any(
        r != strip_accents(r) and r != t for t, r in zip(target.lower(), recognized.lower())
    )
    if other_accent:
        return result(False, f"Presque ! Regarde bien l'accent : j'ai lu « {recognized} », il faut « {target} ».")
    if same_base:
        confirmed = _accent_confirmed(target, readings)
        if confirmed:
            advice = f"Bravo, c'est bien {_name(target)} !" if confidence >= CONFIDENT else \
                f"C'est bien {_name(target)}, essaie de le tracer encore plus net."
            return result(True, advice, shown=target)
        if confirmed is False:
            return result(False, f"Presque ! N'oublie pas l'accent sur le {target}." if len(target) == 1
                          else f"Presque ! N'oublie pas les accents de « {target} ».")
        if recognized.lower() == target.lower():  # only the case differs, on letters that show it
            size = "majuscule" if recognized.isupper() else "minuscule"
            wanted = "majuscule" if target.isupper() else "minuscule"
            return result(False, f"Tu as écrit {_name(recognized)} {size}, essaie {_name(target)} {wanted}.")
        return result(False, f"Presque ! Regarde bien les accents de {_name(target)}.")

    if len(target) == 1 and len(readings) > 1 and any(same_letter(target, r.text) for r in readings):
        return result(False, f"J'ai vu plusieurs lettres : écris un seul {target}.")
    advice = CONFUSIONS.get((target.lower(), recognized.lower()))
    if advice:
        return result(False, advice)
    return result(False, f"Presque ! J'ai lu « {recognized} », regarde bien le modèle {_of(target)} et réessaie.")


def _of(target: str) -> str:
    return f"du {target}" if len(target) == 1 else f"de « {target} »"
