"""Form rendering that costs less (issue #22): the select drawn without a template per option, a model's choices
read with one query, and a filter panel's fields kept rendered when nothing they show can change."""

import pytest
from django import forms
from django.db import connection
from django.forms.renderers import DjangoTemplates
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from opop.forms import FormRenderer, form_fields_html
from opop.models import KabupatenKota, User

pytestmark = pytest.mark.django_db


class RegionForm(forms.Form):
    kabupaten_kota = forms.ModelChoiceField(label="Regency/city", queryset=KabupatenKota.objects.all(), required=False)
    status = forms.ChoiceField(
        label="Status", choices=[("", "All"), ("active", "Active"), ("paused", "Paused")], required=False
    )
    answer = forms.NullBooleanField(
        label="Reported", required=False, widget=forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])
    )


class StatusForm(forms.Form):  # fixed choices only: renders without the database (the threads below)
    status = forms.ChoiceField(choices=[("", "All"), ("active", "Active"), ("paused", "Paused")], required=False)


class UserForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.all(), required=False)


def test_the_select_markup_is_djangos_own():
    choices = [("", "All"), ("Fruit", [("a", "Apel & <Jeruk>"), ("b", "Belimbing")]), ("c", "Cabai")]
    widget = forms.SelectMultiple(choices=choices, attrs={"class": "wide", "data-x": "1", "required": True})
    ours = widget.render("pick", ["b", "c"], attrs={"id": "id_pick"}, renderer=FormRenderer())
    djangos = widget.render("pick", ["b", "c"], attrs={"id": "id_pick"}, renderer=DjangoTemplates())
    assert ours == djangos
    assert '<option value="b" selected>Belimbing</option>' in ours
    assert "Apel &amp; &lt;Jeruk&gt;" in ours


def test_a_model_choice_list_is_one_query_per_render():
    form = RegionForm()
    with CaptureQueriesContext(connection) as queries:
        html = str(form["kabupaten_kota"])
    assert len(queries) == 1 and "DECLARE" not in queries[0]["sql"]
    assert html.count("<option") == KabupatenKota.objects.count() + 1


def test_reference_choices_are_rendered_once_and_kept_per_value_and_language():
    first = form_fields_html(RegionForm({"kabupaten_kota": "35.78", "status": "active"}))
    with CaptureQueriesContext(connection) as queries:
        again = form_fields_html(RegionForm({"kabupaten_kota": "35.78", "status": "active"}))
    assert again == first
    assert not [
        q
        for q in queries.captured_queries
        if "opop_kabupatenkota" in q["sql"] and "SELECT" in q["sql"] and "LIMIT" not in q["sql"]
    ]  # validation may look the value up; the list is not read again
    assert '<option value="35.78" selected>' in first and '<option value="active" selected>' in first
    other = form_fields_html(RegionForm({"kabupaten_kota": "35.15", "status": "active"}))
    assert '<option value="35.15" selected>' in other and '<option value="35.78" selected>' not in other
    with translation.override("en"):
        english = form_fields_html(RegionForm())
    with translation.override("id"):
        indonesian = form_fields_html(RegionForm())
    assert "— Choose —" in english and "— Pilih —" not in english  # the model choice's empty label
    assert "— Pilih —" in indonesian


def test_a_choice_list_of_rows_that_can_change_is_read_every_time():
    form_fields_html(UserForm())
    someone = User.objects.create_user(email="baru@opop.test", password="x", full_name="Baru Sekali")
    html = form_fields_html(UserForm())
    assert f'<option value="{someone.pk}">' in html


def test_a_form_with_errors_is_rendered_as_it_is():
    form_fields_html(RegionForm({"status": "active"}))
    html = form_fields_html(RegionForm({"status": "nonsense"}))
    assert "nonsense" in html  # Django's "Select a valid choice. nonsense is not one of the available choices."


def test_an_initial_value_is_part_of_what_is_kept():
    today = form_fields_html(RegionForm(initial={"status": "active"}))
    other = form_fields_html(RegionForm(initial={"status": "paused"}))
    assert '<option value="active" selected>' in today and '<option value="paused" selected>' in other


def test_threads_share_the_kept_forms_without_tripping_over_each_other(monkeypatch):
    import threading

    from opop import forms as opop_forms

    monkeypatch.setattr(opop_forms, "FIELDS_HTML_KEPT", 3)  # constant eviction while four threads read and write
    errors = []

    def work(n):
        try:
            for i in range(40):
                html = form_fields_html(StatusForm({"status": ["active", "paused", ""][(n + i) % 3]}))
                assert "<select" in html
        except Exception as exc:  # any error in a thread fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
