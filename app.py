"""Plan Atlas (成渝规划地图) — Streamlit app. Composition only: the logic lives in geo/."""

import streamlit as st

st.set_page_config(page_title="成渝规划地图 Plan Atlas", layout="wide")
st.title("成渝规划地图 · Plan Atlas")
st.write("成渝地区双城经济圈规划地图。")
