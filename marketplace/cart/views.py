"""Cart pages. Forms post back and redirect, so the cart works without JavaScript."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.cart import services
from marketplace.cart.forms import AddToCartForm, QuantityForm
from marketplace.models import Product, ProductVariant
from opop.services import DomainError


def cart_detail(request):
    lines = services.cart_lines(user=request.user, session=request.session)
    groups = services.cart_by_store(lines)
    return render(
        request,
        "marketplace/cart_detail.html",
        {"groups": groups, "total": sum(group.subtotal for group in groups)},
    )


@require_POST
def cart_add(request, slug):
    product = get_object_or_404(Product.objects.visible().select_related("store"), slug=slug)
    form = AddToCartForm(request.POST, product=product)
    if not form.is_valid():
        messages.error(request, _("Choose a variant and a quantity."))
        return redirect(product)
    try:
        services.cart_add(
            user=request.user,
            session=request.session,
            product=product,
            variant=form.cleaned_data.get("variant"),
            quantity=form.cleaned_data["quantity"],
        )
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(product)
    messages.success(request, _("%(name)s is in your cart.") % {"name": product.name})
    return redirect("marketplace:cart")


@require_POST
def cart_update(request, key):
    try:
        product_id, variant_id = (int(part) for part in key.split(":"))
    except ValueError:
        return redirect("marketplace:cart")
    product = get_object_or_404(Product.objects.select_related("store"), pk=product_id)
    variant = get_object_or_404(ProductVariant, pk=variant_id, product=product) if variant_id else None
    form = QuantityForm(request.POST)
    quantity = form.cleaned_data["quantity"] if form.is_valid() else 0
    if "remove" in request.POST:
        quantity = 0
    try:
        services.cart_set(
            user=request.user, session=request.session, product=product, variant=variant, quantity=quantity
        )
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("marketplace:cart")
