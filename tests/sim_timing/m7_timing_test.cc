#include <gtest/gtest.h>
TEST(Placeholderm7, Builds) {}
