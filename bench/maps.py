"""The directory map at 1,000 and 20,000 organisations, next to the naive folium map.

    .venv/bin/python -m bench.maps [--sizes 1000 20000] [--repeat 5]

Ours: the map page (folium map, Leaflet from static/) plus the compact points JSON it fetches. Naive: one
`folium.Marker` with a `folium.Popup` per organisation, rendered by folium into one HTML document.
Prints page size and server time for both. Target (issue 4): at 20,000, under 2 MB and at least 10x faster.
"""

import argparse
import statistics
import time

from .common import prepared_database


def timed(function, repeat):
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def measure(size, repeat):
    import folium

    from app import create_app
    from app.maps.views import directory_points

    url, instance = prepared_database(size)
    app = create_app("development", SQLALCHEMY_DATABASE_URI=url, LOG_LEVEL="WARNING", MAP_TILE_URL="")
    client = app.test_client()
    page_ms, page = timed(lambda: client.get("/maps/directory").data, repeat)
    points_ms, points = timed(lambda: client.get("/maps/directory/points.json").data, repeat)

    def naive():
        with app.app_context():
            fmap = folium.Map(location=[51.61, -0.21], zoom_start=11, tiles=None)
            for lat, lon, name, slug in directory_points():
                folium.Marker([lat, lon], popup=folium.Popup(f'<a href="/directory/{slug}">{name}</a>')).add_to(fmap)
            return fmap.get_root().render().encode()

    naive_ms, naive_html = timed(naive, max(1, repeat // 2))
    ours_ms = page_ms + points_ms
    print(
        f"  {size:>6,} organisations: ours {ours_ms:8.1f} ms, {len(page) / 1024:7.1f} KB page + {len(points) / 1024:7.1f} KB points"
        f" | naive {naive_ms:8.1f} ms, {len(naive_html) / 1024:8.1f} KB | {naive_ms / ours_ms:5.1f}x faster,"
        f" page {len(naive_html) / len(page):6.0f}x smaller",
        flush=True,
    )
    return {
        "size": size,
        "ours_ms": round(ours_ms, 1),
        "ours_page_bytes": len(page),
        "ours_points_bytes": len(points),
        "naive_ms": round(naive_ms, 1),
        "naive_bytes": len(naive_html),
        "speedup": round(naive_ms / ours_ms, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print("Directory map: ours (page + fetched points) against the naive one-Marker-per-row folium map")
    results = [measure(size, args.repeat) for size in args.sizes]
    last = results[-1]
    total_mb = (last["ours_page_bytes"] + last["ours_points_bytes"]) / 1_000_000
    print(
        f"  at {last['size']:,}: page {last['ours_page_bytes'] / 1_000_000:.3f} MB (with points {total_mb:.2f} MB) "
        f"{'meets' if total_mb < 2 else 'MISSES'} the 2 MB target; {last['speedup']}x faster "
        f"{'meets' if last['speedup'] >= 10 else 'MISSES'} the 10x target"
    )


if __name__ == "__main__":
    main()
