"""Admin-only settings screens: loyalty points and their reward thresholds (SPEC §2)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from loyalty.access import admin_required, get_point_reward_for
from loyalty.errors import DomainError
from loyalty.forms.staff import PointRewardForm, PointsSettingsForm
from loyalty.models import PointReward
from loyalty.selectors.store_settings import point_rewards
from loyalty.services.points import save_point_reward
from loyalty.services.store_settings import save_points_settings

PAGE = "loyalty/settings/points.html"


def _page_context(request: HttpRequest, **extra) -> dict:
    retailer = request.user.retailer
    context = {
        "form": PointsSettingsForm(instance=retailer),
        "rewards": point_rewards(retailer=retailer),
        "new_form": PointRewardForm(retailer=retailer, initial={"is_active": True}),
    }
    return {**context, **extra}


@admin_required
@require_http_methods(["GET", "POST"])
def points_settings(request: HttpRequest) -> HttpResponse:
    retailer = request.user.retailer
    form = PointsSettingsForm(request.POST or None, instance=retailer)
    if request.method == "POST" and form.is_valid():
        save_points_settings(retailer=retailer, values=form.cleaned_data, actor=request.user)
        messages.success(request, "Loyalty points settings saved.")
        return redirect("points_settings")
    status = 422 if form.errors else 200
    return render(request, PAGE, _page_context(request, form=form), status=status)


@admin_required
@require_http_methods(["GET", "POST"])
def point_reward_create(request: HttpRequest) -> HttpResponse:
    """Add a reward threshold; htmx gets the refreshed rewards region, errors in place."""
    if request.method == "GET":
        return redirect("points_settings")
    retailer = request.user.retailer
    form = PointRewardForm(request.POST, retailer=retailer)
    error = ""
    if form.is_valid():
        try:
            reward = save_point_reward(
                retailer=retailer, values=form.cleaned_data, actor=request.user
            )
        except DomainError as exc:
            error = exc.message
        else:
            if not request.htmx:
                messages.success(request, f"Added the reward “{reward.name}”.")
                return redirect("points_settings")
            return render(request, f"{PAGE}#rewards", _page_context(request, added=reward))
    context = _page_context(request, new_form=form, reward_error=error)
    return render(request, f"{PAGE}#rewards" if request.htmx else PAGE, context, status=422)


@admin_required
@require_http_methods(["GET", "POST"])
def point_reward_edit(request: HttpRequest, reward_id: int) -> HttpResponse:
    """Edit one reward in its row; Deactivate / Reactivate are one-click changes of the same."""
    retailer = request.user.retailer
    reward = get_point_reward_for(request.user, reward_id)
    if request.method == "GET":
        form = PointRewardForm(instance=reward, retailer=retailer)
        return _render_row(request, reward, form)
    form = _bound_reward_form(request, reward)
    if not form.is_valid():
        return _render_row(request, reward, form, status=422)
    try:
        reward = save_point_reward(
            retailer=retailer, values=form.cleaned_data, actor=request.user, reward=reward
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _render_row(request, reward, form, status=422)
    if not request.htmx:
        messages.success(request, f"Saved the reward “{reward.name}”.")
        return redirect("points_settings")
    return render(request, f"{PAGE}#reward-row", {"reward": reward})


def _bound_reward_form(request: HttpRequest, reward: PointReward) -> PointRewardForm:
    """The row's form; Deactivate / Reactivate send only `active` and keep everything else."""
    data = request.POST
    if "active" in data:
        data = {
            "name": reward.name,
            "points_required": reward.points_required,
            "description": reward.description,
            "is_active": "on" if data["active"] == "1" else "",
        }
    return PointRewardForm(data, instance=reward, retailer=request.user.retailer)


def _render_row(
    request: HttpRequest, reward: PointReward, form: PointRewardForm, status: int = 200
) -> HttpResponse:
    if request.htmx:
        context = {"reward": reward, "edit_form": form}
        return render(request, f"{PAGE}#reward-edit-row", context, status=status)
    context = _page_context(request, editing=reward, edit_form=form)
    return render(request, PAGE, context, status=status)
