"""An author–year pybtex style for the References page: entries labelled "Follis et al. 2019",
sorted by author, so the list matches the author–year citations in the text."""

from __future__ import annotations

from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting.author_year_title import SortingStyle


class AuthorYearLabelStyle(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            people = entry.persons.get("author") or entry.persons.get("editor") or []
            surnames = [" ".join(p.prelast_names + p.last_names) for p in people if str(p) != "others"]
            has_others = any(str(p) == "others" for p in people)
            if not surnames:
                name = entry.fields.get("key", entry.key)
            elif len(surnames) == 1 and not has_others:
                name = surnames[0]
            elif len(surnames) == 2 and not has_others:
                name = f"{surnames[0]} and {surnames[1]}"
            else:
                name = f"{surnames[0]} et al."
            yield f"{name} {entry.fields.get('year', 'n.d.')}"


class AuthorYearStyle(UnsrtStyle):
    default_label_style = AuthorYearLabelStyle
    default_sorting_style = SortingStyle


def register() -> None:
    register_plugin("pybtex.style.formatting", "brainbone_author_year", AuthorYearStyle, force=True)
