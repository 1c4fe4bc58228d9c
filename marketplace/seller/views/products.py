"""Products of the current store: list, create, edit, publish, duplicate, photos, variants, wholesale tiers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from marketplace.catalogue import curation
from marketplace.catalogue.services import product_create, variant_create
from marketplace.halal import claims as halal_claims
from marketplace.halal import legality
from marketplace.halal.services import product_composition_changed, renewal_cases_for_products, valid_certificate_for
from marketplace.models import ProductPhoto
from marketplace.seller import access, services
from marketplace.seller.access import seller_view
from marketplace.seller.forms import PhotoForm, ProductCreateForm, ProductForm, TierForm, VariantForm
from opop.redirects import redirect_next
from opop.services import DomainError


def _errors(exc) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


@seller_view
def product_list(request, store):
    products = (
        halal_claims.with_halal_states(access.store_products(store))
        .select_related("category")
        .prefetch_related(
            Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "id")),
            "variants",
            curation.seller_reviews(),
        )
        .order_by("name", "id")
    )
    show = request.GET.get("show", "")
    q = request.GET.get("q", "").strip()
    if show == "published":
        products = products.filter(is_active=True)
    elif show == "unpublished":
        products = products.filter(is_active=False)
    elif show == "review":  # waiting for, or sent back by, curation
        products = products.filter(
            Q(listing_status__in=("pending", "rejected")) | Q(revisions__status="pending")
        ).distinct()
    if q:
        products = products.filter(name__icontains=q)
    page = Paginator(products, 40).get_page(request.GET.get("page"))
    return render(
        request,
        "marketplace/seller/product_list.html",
        {"store": store, "page_obj": page, "show": show, "q": q},
    )


@seller_view
def product_create_view(request, store):
    form = ProductCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        stock = data.pop("opening_stock")
        halal = [data.pop(name) for name in services.HALAL_CLAIM_FIELDS]
        try:
            with transaction.atomic():
                product = product_create(store=store, stock=stock, actor=request.user, **data)
                legality.legality_numbers_submit(actor=request.user, product=product, numbers=data)
                claim = _halal_claim(request, product, *halal)
        except (DomainError, ValidationError) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Product saved. Add photos and variants below."))
            if claim is not None:
                messages.info(request, CLAIM_MESSAGE)
            if product.listing_status == "pending":
                messages.info(request, _("Products in this category are reviewed before they appear in the shop."))
            return redirect("marketplace:seller_product_edit", pk=product.pk)
    return render(request, "marketplace/seller/product_form.html", {"store": store, "form": form, "product": None})


CLAIM_MESSAGE = _lazy(
    "The halal certificate number waits for verification by Diskop UKM staff; shoppers see the Halal badge "
    "once it is verified."
)


def _halal_claim(request, product, number, evidence):
    """The typed halal number becomes a claim for staff to verify (or withdraws one); None when nothing waits."""
    claim = halal_claims.claim_current(product)
    if claim is not None and claim.status != "pending" and claim.number == number and not evidence:
        return None  # the decided number shown again in the form: nothing new to verify
    return halal_claims.claim_submit(actor=request.user, product=product, number=number, evidence=evidence)


def _product_form(product, data=None, files=None, **kwargs) -> ProductForm:
    """The edit form, showing the values waiting for review (if any) over the approved ones shoppers see."""
    review = curation.latest_review(product)
    initial = dict(review.changes) if review is not None and review.status == "pending" else {}
    claim = halal_claims.claim_current(product)
    initial["halal_certificate_number"] = claim.number if claim is not None else product.halal_certificate_number
    return ProductForm(data, files, instance=product, initial=initial, **kwargs)


def _edit_context(store, product, **forms):
    review = curation.latest_review(product)
    return {
        "store": store,
        "product": product,
        "form": forms.get("form") or _product_form(product),
        "photo_form": forms.get("photo_form") or PhotoForm(),
        "variant_form": forms.get("variant_form") or VariantForm(),
        "tier_form": forms.get("tier_form") or TierForm(),
        "photos": product.photos.all(),
        "variants": product.variants.all(),
        "tiers": product.wholesale_tiers.all(),
        "review": review,
        "review_changes": curation.change_rows(review) if review is not None else [],
        "halal_claim": halal_claims.claim_current(product),
        "halal_renewal": renewal_cases_for_products([product.pk]).get(product.pk),
    }


@seller_view
def product_edit(request, store, pk):
    product = access.product_or_404(store, pk)
    certified = valid_certificate_for(product) is not None
    form = _product_form(product, request.POST or None, request.FILES or None, halal_certified=certified)
    if request.method == "POST" and form.is_valid():
        claim = None
        try:
            with transaction.atomic():
                product = services.product_update(
                    product=product,
                    actor=request.user,
                    **{name: form.cleaned_data[name] for name in services.PRODUCT_FIELDS},
                )
                legality.legality_numbers_submit(actor=request.user, product=product, numbers=form.cleaned_data)
                if form.cleaned_data.get("halal_changed"):
                    product_composition_changed(
                        actor=request.user, product=product, note=form.cleaned_data["halal_change_note"]
                    )
                else:
                    claim = _halal_claim(
                        request, product, *(form.cleaned_data[name] for name in services.HALAL_CLAIM_FIELDS)
                    )
        except (DomainError, ValidationError) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Product saved."))
            if product.pending_review is not None:
                messages.info(
                    request,
                    _(
                        "Changes to the name, photos, description or legality wait for review; shoppers see the "
                        "approved version until then."
                    )
                    if product.listing_status == "approved"
                    else _("The product waits for review before it appears in the shop."),
                )
            if claim is not None:
                messages.info(request, CLAIM_MESSAGE)
            if form.cleaned_data.get("halal_changed"):
                messages.warning(
                    request,
                    _(
                        "Certificate needs renewal: the Halal badge is hidden until the updated product is "
                        "certified. Open the halal case to start the renewal."
                    ),
                )
            return redirect("marketplace:seller_product_edit", pk=product.pk)
    return render(request, "marketplace/seller/product_form.html", _edit_context(store, product, form=form))


@seller_view
@require_POST
def product_publish(request, store, pk):
    product = access.product_or_404(store, pk)
    publish = request.POST.get("publish") == "1"
    services.product_publish(product=product, actor=request.user, publish=publish)
    messages.success(request, _("Product is on sale.") if publish else _("Product is hidden from the shop."))
    return redirect_next(request, request.POST.get("next"), "marketplace:seller_product_list")


@seller_view
@require_POST
def product_duplicate(request, store, pk):
    product = access.product_or_404(store, pk)
    copy = services.product_duplicate(product=product, actor=request.user)
    messages.success(request, _("Copy made; it stays hidden until you publish it."))
    return redirect("marketplace:seller_product_edit", pk=copy.pk)


@seller_view
@require_POST
def photo_add(request, store, pk):
    product = access.product_or_404(store, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            photo = curation.listing_photo_add(product=product, upload=form.cleaned_data["photo"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            if isinstance(photo, ProductPhoto):
                messages.success(request, _("Photo added."))
            else:
                messages.info(request, _("Photo added; it appears in the shop once the review approves it."))
            return redirect("marketplace:seller_product_edit", pk=product.pk)
    else:
        for error in form.errors.get("photo", []):
            messages.error(request, error)
    return render(
        request, "marketplace/seller/product_form.html", _edit_context(store, product, photo_form=form), status=400
    )


@seller_view
@require_POST
def photo_action(request, store, pk, photo_id, action):
    product = access.product_or_404(store, pk)
    photo = access.photo_or_404(store, product, photo_id)
    if action == "up":
        services.photo_move(photo=photo, step=-1)
    elif action == "down":
        services.photo_move(photo=photo, step=1)
    elif action == "delete":
        services.photo_delete(photo=photo)
        messages.success(request, _("Photo deleted."))
    return redirect("marketplace:seller_product_edit", pk=product.pk)


@seller_view
@require_POST
def held_photo_delete(request, store, pk, photo_id):
    """Take back a photo still waiting for review."""
    product = access.product_or_404(store, pk)
    photo = access.held_photo_or_404(store, product, photo_id)
    try:
        curation.revision_photo_delete(photo=photo)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Photo deleted."))
    return redirect("marketplace:seller_product_edit", pk=product.pk)


@seller_view
@require_POST
def variant_add(request, store, pk):
    product = access.product_or_404(store, pk)
    form = VariantForm(request.POST)
    if form.is_valid():
        try:
            variant_create(
                product=product,
                name=form.cleaned_data["name"],
                price=form.cleaned_data["price"],
                stock=form.cleaned_data["stock"] or 0,
                position=product.variants.count(),
                actor=request.user,
            )
        except (DomainError, ValidationError) as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Variant added."))
    else:
        messages.error(request, _("Check the variant's name and price."))
    return redirect("marketplace:seller_product_edit", pk=product.pk)


@seller_view
@require_POST
def variant_action(request, store, pk, variant_id, action):
    product = access.product_or_404(store, pk)
    variant = access.variant_or_404(store, product, variant_id)
    try:
        if action == "delete":
            services.variant_delete(variant=variant)
            messages.success(request, _("Variant deleted."))
        else:
            form = VariantForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Check the variant's name and price."))
            services.variant_update(variant=variant, name=form.cleaned_data["name"], price=form.cleaned_data["price"])
            messages.success(request, _("Variant saved."))
    except (DomainError, ValidationError) as exc:
        messages.error(request, _errors(exc))
    return redirect("marketplace:seller_product_edit", pk=product.pk)


@seller_view
@require_POST
def tier_add(request, store, pk):
    product = access.product_or_404(store, pk)
    form = TierForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("A wholesale price starts at 2 pieces or more."))
        services.wholesale_tier_set(product=product, **form.cleaned_data)
        messages.success(request, _("Wholesale price saved."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("marketplace:seller_product_edit", pk=product.pk)


@seller_view
@require_POST
def tier_delete(request, store, pk, tier_id):
    product = access.product_or_404(store, pk)
    access.tier_or_404(store, product, tier_id).delete()
    messages.success(request, _("Wholesale price removed."))
    return redirect("marketplace:seller_product_edit", pk=product.pk)
