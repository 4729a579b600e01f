# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Check an AWX survey spec before roles/awx sends it.

AWX refuses some specs (its SurveySpec view) and stores others differently from what
was sent: a `choices` string loses its blank lines, a password default reads back as
`$encrypted$`. awx.awx's job_template and workflow_job_template modules compare the
spec they are given with the one AWX returns, so such a spec is reported changed on
every run. Both are refused here, before anything is written to AWX.

The filter's documentation is in awx_survey_problems.yml next to this file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# AWX 24's SURVEY_TYPE_MAPPING: the answer type of each question type.
ANSWER_TYPES = {
    "text": (str,),
    "textarea": (str,),
    "password": (str,),
    "multiplechoice": (str,),
    "multiselect": (str,),
    "integer": (int,),
    "float": (float, int),
}
CHOICE_TYPES = ("multiplechoice", "multiselect")


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _answer_problem(question, answer):
    """Why AWX would refuse `answer` to `question` at launch, or ''."""
    kind = question["type"]
    low, high = question.get("min"), question.get("max")
    if kind in ("text", "textarea", "password"):
        if not isinstance(answer, str):
            return "is not a string"
        if _is_int(low) and len(answer) < low:
            return "is shorter than min %d" % low
        if _is_int(high) and len(answer) > high:
            return "is longer than max %d" % high
    elif kind in ("integer", "float"):
        if isinstance(answer, bool) or not isinstance(answer, ANSWER_TYPES[kind]):
            return "is not a number of type %s" % kind
        if _is_int(low) and answer < low:
            return "is below min %d" % low
        if _is_int(high) and answer > high:
            return "is above max %d" % high
    elif kind == "multiplechoice":
        if answer not in question.get("choices", []):
            return "is not one of the choices"
    elif kind == "multiselect":
        answers = answer.splitlines() if isinstance(answer, str) else answer
        if any(item not in question.get("choices", []) for item in answers):
            return "has items that are not choices"
    return ""


def _question_problems(index, question, seen):
    where = "question %d" % index
    if not isinstance(question, dict):
        return ["%s is not a mapping" % where]
    problems = []
    for key in ("type", "question_name", "variable"):
        if not isinstance(question.get(key), str) or not question.get(key):
            problems.append("%s: %s must be a non-empty string" % (where, key))
    if not isinstance(question.get("required"), bool):
        problems.append("%s: required must be true or false" % where)
    if problems:
        return problems
    where = "question %d (%s)" % (index, question["variable"])
    kind = question["type"]
    if question["variable"] in seen:
        problems.append("%s: variable asked twice" % where)
    seen.add(question["variable"])
    if kind not in ANSWER_TYPES:
        return [*problems, "%s: type %r is not one of %s" % (where, kind, ", ".join(ANSWER_TYPES))]
    if kind == "password":
        problems.append(
            "%s: password questions read back as $encrypted$, so the survey would be "
            "reported changed on every run; pass secrets through a credential" % where
        )
    for key in ("min", "max"):
        if key in question and question[key] is not None and not _is_int(question[key]):
            problems.append("%s: %s must be an integer" % (where, key))
    if kind in CHOICE_TYPES:
        choices = question.get("choices")
        if not isinstance(choices, list) or not choices:
            problems.append(
                "%s: choices must be a non-empty list (AWX rewrites a choices string, "
                "so it would be reported changed on every run)" % where
            )
        elif not all(isinstance(choice, str) and choice.strip() for choice in choices):
            problems.append("%s: every choice must be a non-empty string" % where)
    if problems or "default" not in question:
        return problems
    default = question["default"]
    if default == "":
        # AWX reads an empty default as none: nothing is filled in.
        return problems
    if kind == "multiselect" and isinstance(default, list):
        problems.append("%s: a multiselect default is one string, a choice per line" % where)
        return problems
    problem = _answer_problem(question, default)
    if problem:
        problems.append("%s: the default %r %s" % (where, default, problem))
    return problems


def awx_survey_problems(spec):
    """Every reason AWX would refuse `spec` or store it differently; [] when none."""
    if not isinstance(spec, dict):
        return ["the survey spec is not a mapping"]
    problems = []
    for key in ("name", "description"):
        if not isinstance(spec.get(key), str):
            problems.append("%s must be a string" % key)
    questions = spec.get("spec")
    if not isinstance(questions, list) or not questions:
        return [*problems, "spec must be a non-empty list of questions"]
    seen = set()
    for index, question in enumerate(questions):
        problems.extend(_question_problems(index, question, seen))
    return problems


class FilterModule:
    """storefleet.platform AWX filters."""

    def filters(self):
        return {"awx_survey_problems": awx_survey_problems}
