from django.shortcuts import render

from .selectors import challenge_list


def board(request):
    return render(
        request, "challenges/board.html", {"challenges": challenge_list(user=request.user)}
    )
