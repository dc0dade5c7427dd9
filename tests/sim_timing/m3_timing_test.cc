#include <gtest/gtest.h>
TEST(Placeholderm3, Builds) {}
