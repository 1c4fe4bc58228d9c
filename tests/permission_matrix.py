"""How to build a concrete URL for each named pattern, from the permission world's objects."""

from django.urls import reverse

from tests.permission_world import World


def _kwargs(name: str, world: World) -> dict | None:
    o = world.objects
    pesantren, order, outlet, payment = o["pesantren"], o["order"], o["outlet"], o["payment"]
    item = order.items.first()
    table = {
        "account_confirm_email": {"key": "not-a-real-key"},
        "account_reset_password_from_key": {"uidb36": "1", "key": "not-a-real-key"},
        "opop:organisation_detail": {"slug": pesantren.organisation.slug},
        "marketplace:category": {"slug": o["product"].category.slug},
        "marketplace:product": {"slug": o["product"].slug},
        "marketplace:sitemap_section": {"section": "products"},
        "marketplace:store": {"slug": o["store"].slug},
        "marketplace:address_update": {"pk": o["address"].pk},
        "opop:wilayah_children": {"kode": "35.17.10"},
        "marketplace:cart_add": {"slug": o["product"].slug},
        "marketplace:cart_update": {"key": str(o["product"].pk)},
        "marketplace:order_detail": {"number": order.number},
        "marketplace:order_action": {"number": order.number, "action": "cancel"},
        "marketplace:review_add": {"number": order.number, "item_id": item.pk},
        "marketplace:sandbox_page": {"transaction_id": o["gateway_payment"].provider_transaction_id},
        "marketplace:sandbox_pay": {"transaction_id": o["gateway_payment"].provider_transaction_id},
        "marketplace:seller_order_detail": {"number": order.number},
        "marketplace:seller_order_action": {"number": order.number, "action": "process"},
        "pesantren:card": {"pk": pesantren.pk},
        "pesantren:card_verify": {"token": pesantren.card_token} if hasattr(pesantren, "card_token") else None,
        "pesantren:collaborators": {"pk": pesantren.pk},
        "pesantren:detail": {"pk": pesantren.pk},
        "pesantren:edit": {"pk": pesantren.pk},
        "pesantren:mapping_create": {"pk": pesantren.pk},
        "pesantren:mentoring_create": {"pk": pesantren.pk},
        "pesantren:public": {"slug": pesantren.organisation.slug},
        "pesantren:report_correct": {"pk": o["report"].pk},
        "pesantren:report_create": {"pk": pesantren.pk},
        "pesantren:report_detail": {"pk": o["report"].pk},
        "pesantren:report_review": {"pk": o["report"].pk},
        "pesantren:transition": {"pk": pesantren.pk},
        "pesantren:unit_create": {"pk": pesantren.pk},
        "pesantren:unit_edit": {"unit_pk": o["unit"].pk},
        "samsat:advise": {"code": outlet.code, "pk": payment.pk},
        "samsat:bill": {"code": outlet.code, "key": o["bill"].idempotency_key},
        "samsat:counter": {"code": outlet.code},
        "samsat:day_close": {"code": outlet.code},
        "samsat:day_report": {"code": outlet.code, "day": payment.business_day.isoformat()},
        "samsat:days": {"code": outlet.code},
        "samsat:history": {"code": outlet.code},
        "samsat:payment": {"code": outlet.code, "pk": payment.pk},
        "samsat:receipt": {"code": outlet.code, "pk": payment.pk},
        "samsat:receipt_pdf": {"code": outlet.code, "pk": payment.pk},
        "samsat:etbpkp": {"code": outlet.code, "pk": payment.pk},
        "samsat:etbpkp_pdf": {"code": outlet.code, "pk": payment.pk},
        "samsat:reprint": {"code": outlet.code, "pk": payment.pk},
        "samsat:reverse": {"code": outlet.code, "pk": payment.pk},
        "samsat:staff_outlet_edit": {"code": outlet.code},
        "santri:list": {"pesantren_pk": pesantren.pk},
        "santri:create": {"pesantren_pk": pesantren.pk},
        "santri:import": {"pesantren_pk": pesantren.pk},
        "santri:export": {"pesantren_pk": pesantren.pk},
        "santri:api_tokens": {"pesantren_pk": pesantren.pk},
        "santri:business_list": {"pesantren_pk": pesantren.pk},
        "santri:business_create": {"pesantren_pk": pesantren.pk},
        "santri:business_edit": {"pk": o["santri_business"].pk},
        "santri:business_store_open": {"pk": o["santri_business"].pk},
        "santri:import_preview": {"pk": o["import_batch"].pk},
        "santri:import_confirm": {"pk": o["import_batch"].pk},
        "santri:api_token_revoke": {"pk": o["api_token"].pk},
        "santri:detail": {"pk": o["santri"].pk},
        "santri:reveal": {"pk": o["santri"].pk},
        "opop:deletion_process": {"pk": o["deletion_request"].pk},
        "santri:edit": {"pk": o["santri"].pk},
        "santri:delete": {"pk": o["santri"].pk},
        "santri:card": {"pk": o["santri"].pk},
        "santri:card_png": {"pk": o["santri"].pk},
        "santri:track_complete": {"pk": o["santri"].pk},
        "santri:card_verify": {"token": o["santri"].card_token} if hasattr(o["santri"], "card_token") else None,
        "santri:event_detail": {"pk": o["event"].pk},
        **{
            key: {"pk": o["santri"].pk}
            for key in ["santri:invite", "santri:invitation_revoke", "santri:account_unlink"]
        },
        "santri:guardian_consents": {"pesantren_pk": pesantren.pk},
        "santri:guardian_consent_decide": {"pk": o["guardian_consent"].pk},
        "santri:invitation_accept": {"token": "not-a-token"},
        **{key: {"pk": o["registration"].pk} for key in ["santri:me_certificate", "santri:me_cancel"]},
        "santri:me_register": {"event_pk": o["event"].pk},
        **{key: {"pk": o["waiting_entry"].pk} for key in ["santri:me_leave_waiting", "santri:waiting_leave"]},
        "santri:event_edit": {"pk": o["event"].pk},
        "santri:event_booths": {"pk": o["expo"].pk},
        "santri:attendance": {"pk": o["registration"].pk},
        "santri:registration_cancel": {"pk": o["registration"].pk},
        "santri:certificate": {"pk": o["registration"].pk},
        "santri:competition_detail": {"pk": o["competition"].pk},
        "santri:competition_publish": {"pk": o["competition"].pk},
        "santri:proposal_submit": {"pk": o["competition"].pk, "pesantren_pk": pesantren.pk},
        "santri:proposal_score": {"pk": o["proposal"].pk},
        "santri:competition_results": {"pk": o["competition"].pk},
        "santri:proposal_start_own": {"pk": o["competition"].pk},
        "santri:proposal_edit": {"pk": o["proposal"].pk},
        "santri:team_search_json": {"pk": o["proposal"].pk},
        "santri:team_invite": {"pk": o["proposal"].pk},
        "santri:team_remove": {"pk": o["proposal"].pk, "santri_pk": o["team_invitation"].santri_id},
        "santri:team_answer": {"pk": o["team_invitation"].pk},
        "santri:competition_certificate": {"pk": o["competition_certificate"].pk},
        "santri:certificate_check": {"number": o["competition_certificate"].number},
        "santri:incubation_detail": {"pk": o["incubation"].pk},
        "santri:incubation_mentor": {"pk": o["incubation"].pk},
        "santri:milestone_add": {"pk": o["incubation"].pk},
        "santri:progress_note": {"pk": o["incubation"].pk},
        "santri:incubation_store_open": {"pk": o["incubation"].pk},
        "santri:milestone_mark": {"pk": o["incubation"].milestones.first().pk},
        "alumni:alumnus_review": {"pk": o["alumnus"].pk},
        "alumni:graduate": {"santri_pk": o["santri"].pk},
        "alumni:business_detail": {"pk": o["alumni_business"].pk},
        "alumni:report_create": {"pk": o["alumni_business"].pk},
        "alumni:report_correct": {"pk": o["alumni_report"].pk},
        "alumni:report_review": {"pk": o["alumni_report"].pk},
        "alumni:collaboration_respond": {"pk": o["collaboration"].pk},
        "halal:case_detail": {"pk": o["halal_case"].pk},
        "halal:case_edit": {"pk": o["halal_case"].pk},
        "halal:case_step": {"pk": o["halal_case"].pk, "action": "submit"},
        "halal:case_attach": {"pk": o["halal_case"].pk},
        "halal:attachment_download": {"pk": o["halal_attachment"].pk},
        "halal:certificate_verify": {"number": o["certificate"].number},
        "halal:flagship_decide": {"pk": o["flagship_proposal"].pk},
        "halal:legality_verify": {"pk": o["legality"].pk},
        "halal:claim_detail": {"pk": o["halal_claim"].pk},
        "halal:claim_evidence": {"pk": o["halal_claim"].pk},
        "halal:claim_decide": {"pk": o["halal_claim"].pk, "decision": "verifikasi"},
        "marketplace:seller_choose_store": {"store_id": o["store"].pk},
        "marketplace:seller_product_edit": {"pk": o["product"].pk},
        "marketplace:seller_product_publish": {"pk": o["product"].pk},
        "marketplace:seller_product_duplicate": {"pk": o["product"].pk},
        "marketplace:seller_photo_add": {"pk": o["photo"].product_id},
        "marketplace:seller_photo_action": {"pk": o["photo"].product_id, "photo_id": o["photo"].pk, "action": "up"},
        "marketplace:seller_variant_add": {"pk": o["variant"].product_id},
        "marketplace:seller_variant_action": {
            "pk": o["variant"].product_id,
            "variant_id": o["variant"].pk,
            "action": "delete",
        },
        "marketplace:seller_tier_add": {"pk": o["tier"].product_id},
        "marketplace:seller_tier_delete": {"pk": o["tier"].product_id, "tier_id": o["tier"].pk},
        "marketplace:seller_stock_change": {"pk": o["product"].pk},
        "marketplace:seller_held_photo_delete": {
            "pk": o["held_photo"].revision.product_id,
            "photo_id": o["held_photo"].pk,
        },
        "marketplace:curation_approve": {"pk": o["revision"].pk},
        "marketplace:curation_reject": {"pk": o["revision"].pk},
        "marketplace:curation_rule_edit": {"pk": o["curation_rule"].pk},
        "marketplace:seller_order_print": {"number": order.number, "document": "invoice"},
        "marketplace:seller_team_member": {"pk": o["team_member"].pk, "action": "remove"},
        "marketplace:seller_invitation_withdraw": {"pk": o["invitation"].pk},
        "marketplace:seller_invitation_accept": {"token": _invitation_token(o["invitation"])},
        "marketplace:seller_open": {"slug": pesantren.organisation.slug},
        "marketplace:store_request_detail": {"pk": _store_application().pk},
        "marketplace:store_request_decide": {"pk": _store_application().pk, "action": "return"},
        "marketplace:seller_payout_detail": {"pk": o["payout"].pk},
        "marketplace:finance_payout_action": {"pk": o["payout"].pk, "action": "approve"},
        "b2b:choose": {"pk": o["darul_ulum"].pk},
        "b2b:supplier_detail": {"slug": o["b2b_po"].supplier.slug},
        "b2b:offer_edit": {"pk": o["b2b_offer"].pk},
        **{key: {"pk": o["b2b_po"].rfq_id} for key in ["b2b:rfq_detail", "b2b:rfq_cancel", "b2b:rfq_award"]},
        **{
            key: {"pk": o["b2b_po"].pk}
            for key in ["b2b:po_detail", "b2b:po_confirm", "b2b:po_decline", "b2b:po_pdf", "b2b:po_revise"]
        },
        **{key: {"pk": o["b2b_po"].pk} for key in ["b2b:delivery_create", "b2b:invoice_create", "b2b:rate"]},
        **{key: {"pk": o["b2b_open_rfq"].pk} for key in ["b2b:quote", "b2b:quote_withdraw"]},
        "b2b:revision_decide": {"pk": o["b2b_revision"].pk, "decision": "accept"},
        "b2b:delivery_receive": {"pk": o["b2b_pending_lot"].pk},
        **{
            key: {"pk": o["b2b_invoice"].pk}
            for key in ["b2b:invoice_detail", "b2b:invoice_pay", "b2b:invoice_pdf", "b2b:invoice_proof"]
        },
        "reports:region": {"kode": pesantren.kabupaten_kota_id},
        "samsat:verify": {"code": payment.verification_code} if hasattr(payment, "verification_code") else None,
    }
    return table.get(name, {})


def _invitation_token(invitation) -> str:
    from marketplace.seller.team import invitation_token

    return invitation_token(invitation)


def url_for(name: str, world: World) -> str | None:
    kwargs = _kwargs(name, world)
    if kwargs is None:
        return None
    return reverse(name, kwargs=kwargs or None)


def _store_application():
    """The demo's store request (a Tuban pesantren, decided by province-wide Diskop staff)."""
    from marketplace.models import StoreApplication

    return StoreApplication.objects.order_by("pk").first()
