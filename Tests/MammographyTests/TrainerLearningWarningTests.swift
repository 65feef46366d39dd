@testable import Mammography
import XCTest

final class TrainerLearningWarningTests: XCTestCase {
    func testWarnsOnlyWhenASegmenterNeverLearned() {
        // The collapsed demo run (seed 3): best validation Dice 0.015, from a checkpoint that calls every pixel abnormal.
        XCTAssertNotNil(Trainer.learningWarning(bestScore: 0.0154, architecture: .dilatedResize))
        XCTAssertNotNil(Trainer.learningWarning(bestScore: -1, architecture: .fcnTranspose), "NaN scores count as -1")
        XCTAssertNil(Trainer.learningWarning(bestScore: 0.5, architecture: .dilatedResize))
        XCTAssertNil(Trainer.learningWarning(bestScore: -.infinity, architecture: .dilatedResize), "no epoch finished")
        XCTAssertNil(Trainer.learningWarning(bestScore: 0.01, architecture: .classifier), "the classifier's score is AUC")
    }
}
