package cn.xinqiao.platform.tenancy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistrictsTest {

    @Test
    void cityCoversItsCountiesButNotAnotherCity() {
        assertTrue(Districts.covers("370800", "370811"));
        assertTrue(Districts.covers("370800", "370800"));
        assertFalse(Districts.covers("370800", "370911"));
    }

    @Test
    void countyCoversOnlyItself() {
        assertTrue(Districts.covers("370811", "370811"));
        assertFalse(Districts.covers("370811", "370812"));
        assertFalse(Districts.covers("370811", "370800"));
    }

    @Test
    void provinceCoversItsCities() {
        assertTrue(Districts.covers("370000", "370811"));
        assertFalse(Districts.covers("370000", "320100"));
    }

    @Test
    void malformedCodesCoverNothing() {
        assertFalse(Districts.covers(null, "370811"));
        assertFalse(Districts.covers("3708", "370811"));
        assertFalse(Districts.covers("370800", "37081"));
    }

    @Test
    void prefixesAndParents() {
        assertEquals("3708", Districts.significantPrefix("370800"));
        assertEquals("37", Districts.significantPrefix("370000"));
        assertEquals("370800", Districts.cityOf("370811"));
        assertTrue(Districts.isCounty("370811"));
        assertFalse(Districts.isCounty("370800"));
    }
}
