"""Strategy officers' pages for the search vocabulary (/directory/vocabulary): the words residents type and
the words listings use for the same thing. The rules and the writes are in vocabulary.py.

The routes belong to the directory's blueprint (endpoints `directory.vocabulary_*`): views.py calls
`register(bp)` once it has made it.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..forms import ConfirmForm
from ..security import STRATEGY_OFFICER, roles_required
from . import vocabulary
from .forms import SynonymForm
from .models import SearchSynonym


@roles_required(STRATEGY_OFFICER)
def vocabulary_list():
    return render_template("directory/vocabulary.html", entries=vocabulary.all_entries(), delete_form=ConfirmForm())


@roles_required(STRATEGY_OFFICER)
def vocabulary_edit(entry_id=None):
    entry = db.get_or_404(SearchSynonym, entry_id) if entry_id is not None else None
    form = SynonymForm()
    if request.method == "GET" and entry is not None:
        form.terms.data = "\n".join(entry.term_list)
        form.related.data = "\n".join(entry.related_list)
        form.note.data = entry.note
    if form.validate_on_submit():
        entry = vocabulary.save_entry(entry, form.terms.data, form.related.data, form.note.data, current_user)
        flash(f"Saved: searches for {', '.join(entry.term_list[:3])} now find each other", "success")
        return redirect(url_for("directory.vocabulary_list"))
    return render_template("directory/vocabulary_edit.html", form=form, entry=entry)


@roles_required(STRATEGY_OFFICER)
def vocabulary_delete(entry_id):
    entry = db.get_or_404(SearchSynonym, entry_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    words = ", ".join(entry.term_list[:3])
    vocabulary.delete_entry(entry)
    flash(f"Deleted the entry for {words}", "success")
    return redirect(url_for("directory.vocabulary_list"))


def register(bp):
    """Add the vocabulary pages to the directory's blueprint, with the endpoint names they always had."""
    bp.add_url_rule("/vocabulary", view_func=vocabulary_list)
    bp.add_url_rule("/vocabulary/new", view_func=vocabulary_edit, methods=["GET", "POST"])
    bp.add_url_rule("/vocabulary/<int:entry_id>/edit", view_func=vocabulary_edit, methods=["GET", "POST"])
    bp.add_url_rule("/vocabulary/<int:entry_id>/delete", view_func=vocabulary_delete, methods=["POST"])
