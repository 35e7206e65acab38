"""A minimal app behind the sign-in gate, for the AppTest tests of ui.auth (tests/test_auth_pages.py)."""
import streamlit as st

from ui import auth

user = auth.require_user(is_demo_data=st.session_state.get("_test_is_demo", True))
auth.account_box(user)
st.markdown(f"signed-in:{user.username}:{user.role}:{','.join(user.scope) if user.scope else '*'}")
