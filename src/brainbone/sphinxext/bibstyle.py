"""An author–year pybtex style for the References page: entries labelled "Follis et al. 2019",
sorted by author, so the list matches the author–year citations in the text."""

from __future__ import annotations

from pybtex.plugin import find_plugin, register_plugin
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


# The plugins sphinxcontrib-bibtex looks up by name for every citation it resolves; pybtex finds a
# name by scanning every installed package's entry points each time (about 50 ms a lookup, 100
# lookups a page), unless the plugin is registered at run time, which it then returns at once.
LOOKED_UP = {"pybtex.backends": ("docutils", "plaintext")}


def register() -> None:
    register_plugin("pybtex.style.formatting", "brainbone_author_year", AuthorYearStyle, force=True)
    for group, names in LOOKED_UP.items():
        for name in names:
            register_plugin(group, name, find_plugin(group, name), force=True)
