package dev.reprise.samples;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the shop sells and what people look for: products, categories and search terms, with the
 * popularity skew of each, and every path string built once.
 *
 * <p>The catalogue is products {@value #FIRST_PRODUCT_ID}..{@value #LAST_PRODUCT_ID}. People pick
 * them Zipf-skewed (exponent {@value #PRODUCT_ZIPF_EXPONENT}) over a seed-dependent ranking, so a
 * few products are hot; crawlers walk the catalogue uniformly. A share of people's product views
 * ({@value #UNKNOWN_PRODUCT_SHARE}) follow stale links to ids {@value #FIRST_STALE_ID}..{@value
 * #LAST_STALE_ID}, which are not in the catalogue and answer 404.
 */
final class Catalog {
    static final int FIRST_PRODUCT_ID = 1000;
    static final int LAST_PRODUCT_ID = 9999;
    static final int FIRST_STALE_ID = 100;
    static final int LAST_STALE_ID = 999;
    static final double PRODUCT_ZIPF_EXPONENT = 1.0;
    static final double UNKNOWN_PRODUCT_SHARE = 0.02;
    static final int CATEGORIES = 12;
    static final double CATEGORY_ZIPF_EXPONENT = 0.8;
    static final double SEARCH_ZIPF_EXPONENT = 1.0;

    /** Category ids from the most to the least visited. */
    private static final int[] CATEGORY_POPULARITY = {3, 1, 7, 2, 5, 9, 4, 11, 6, 8, 12, 10};

    /** Search terms from the most to the least searched. */
    static final List<String> SEARCH_TERMS = List.of(
            "boots", "running shoes", "winter jacket", "sneakers", "backpack", "rain jacket", "jeans",
            "t-shirt", "hoodie", "sandals", "headphones", "wool socks", "yoga mat", "water bottle",
            "sunglasses", "dress", "leather belt", "hiking boots", "kids shoes", "gift card", "smart watch",
            "phone case", "duffel bag", "down vest", "trail runners", "beanie", "scarf", "gloves",
            "swim shorts", "chelsea boots", "linen shirt", "denim jacket", "café au lait mug", "men's watch",
            "women's parka", "usb-c charger", "50% off", "size 10 boots", "nike air max", "bluetooth speaker");

    private static final int PRODUCTS = LAST_PRODUCT_ID - FIRST_PRODUCT_ID + 1;

    private final int[] productIdByRank;
    private final DiscreteDistribution productRanks = DiscreteDistribution.zipf(PRODUCTS, PRODUCT_ZIPF_EXPONENT);
    private final DiscreteDistribution categoryRanks = DiscreteDistribution.zipf(CATEGORIES, CATEGORY_ZIPF_EXPONENT);
    private final DiscreteDistribution searchRanks =
            DiscreteDistribution.zipf(SEARCH_TERMS.size(), SEARCH_ZIPF_EXPONENT);
    private final String[] productPaths = new String[LAST_PRODUCT_ID + 1];
    private final String[] reviewPaths = new String[LAST_PRODUCT_ID + 1];
    private final String[] categoryPaths = new String[CATEGORIES + 1];
    private final String[] searchPaths = new String[SEARCH_TERMS.size()];

    /** The hot products are a function of the seed, so different seeds favour different products. */
    Catalog(long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5EED_CA7A_1060_0000L);
        productIdByRank = new int[PRODUCTS];
        for (int i = 0; i < PRODUCTS; i++) {
            productIdByRank[i] = FIRST_PRODUCT_ID + i;
        }
        // Fisher–Yates with the generator's own draws.
        for (int i = PRODUCTS - 1; i > 0; i--) {
            int j = Draws.below(random, i + 1);
            int swap = productIdByRank[i];
            productIdByRank[i] = productIdByRank[j];
            productIdByRank[j] = swap;
        }
        for (int id = FIRST_STALE_ID; id <= LAST_PRODUCT_ID; id++) {
            productPaths[id] = "/products/" + id;
            reviewPaths[id] = "/api/products/" + id + "/reviews";
        }
        for (int id = 1; id <= CATEGORIES; id++) {
            categoryPaths[id] = "/categories/" + id;
        }
        for (int i = 0; i < searchPaths.length; i++) {
            searchPaths[i] = "/search?q=" + URLEncoder.encode(SEARCH_TERMS.get(i), StandardCharsets.UTF_8);
        }
    }

    /** A product a person opens: usually a catalogue product (Zipf), sometimes a stale id. */
    int productForPerson(SplittableRandom random) {
        if (Draws.chance(random, UNKNOWN_PRODUCT_SHARE)) {
            return FIRST_STALE_ID + Draws.below(random, LAST_STALE_ID - FIRST_STALE_ID + 1);
        }
        return productIdByRank[productRanks.sample(random)];
    }

    /** A product a crawler fetches: uniform over the catalogue. */
    int productForCrawler(SplittableRandom random) {
        return FIRST_PRODUCT_ID + Draws.below(random, PRODUCTS);
    }

    static boolean isInCatalog(int productId) {
        return productId >= FIRST_PRODUCT_ID && productId <= LAST_PRODUCT_ID;
    }

    int categoryForPerson(SplittableRandom random) {
        return CATEGORY_POPULARITY[categoryRanks.sample(random)];
    }

    int categoryForCrawler(SplittableRandom random) {
        return 1 + Draws.below(random, CATEGORIES);
    }

    /** Index into {@link #SEARCH_TERMS}. */
    int searchTerm(SplittableRandom random) {
        return searchRanks.sample(random);
    }

    String productPath(int productId) {
        return productPaths[productId];
    }

    String reviewsPath(int productId) {
        return reviewPaths[productId];
    }

    String categoryPath(int categoryId) {
        return categoryPaths[categoryId];
    }

    /** {@code /search?q=TERM}, the term form-encoded as a browser sends it. */
    String searchPath(int term) {
        return searchPaths[term];
    }
}
