package com.rustkeystoreexample

import androidx.test.ext.junit.runners.AndroidJUnit4
import androidx.test.filters.LargeTest
import androidx.test.rule.ActivityTestRule
import com.wix.detox.Detox
import com.wix.detox.config.DetoxConfig
import org.junit.Rule
import org.junit.Test
import org.junit.runner.RunWith

/** The instrumentation entry point through which Detox starts and drives the app. */
@RunWith(AndroidJUnit4::class)
@LargeTest
class DetoxTest {
    @get:Rule
    val activityRule = ActivityTestRule(MainActivity::class.java, false, false)

    @Test
    fun runDetoxTests() {
        val config = DetoxConfig().apply {
            idlePolicyConfig.masterTimeoutSec = 90
            idlePolicyConfig.idleResourceTimeoutSec = 60
            rnContextLoadTimeoutSec = 180
        }
        Detox.runTests(activityRule, config)
    }
}
