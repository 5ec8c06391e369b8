"""Maps: the directory map, the ward choropleth of counts, and the small maps on ward pages (folium)."""
