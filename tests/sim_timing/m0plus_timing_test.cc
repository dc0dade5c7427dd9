#include <gtest/gtest.h>
TEST(Placeholderm0plus, Builds) {}
